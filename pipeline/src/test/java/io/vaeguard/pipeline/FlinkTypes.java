package io.vaeguard.pipeline;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Test helpers around Flink's type serializers. */
public final class FlinkTypes {

  private FlinkTypes() {}

  /** A serializer with Kryo disabled, so a type that would fall back to it fails the test. */
  public static <T> TypeSerializer<T> serializer(TypeInformation<T> type) {
    SerializerConfigImpl config = new SerializerConfigImpl();
    config.setGenericTypes(false);
    return type.createSerializer(config);
  }

  /** Serializes and deserializes {@code value} with Flink's serializer for {@code type}. */
  public static <T> T roundTrip(TypeInformation<T> type, T value) throws Exception {
    TypeSerializer<T> serializer = serializer(type);
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(value, out);
    T copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    // the object-reuse path: deserialize into an instance from createInstance()
    T reused =
        serializer.deserialize(
            serializer.createInstance(), new DataInputDeserializer(out.getCopyOfBuffer()));
    if (!reused.equals(copy)) {
      throw new AssertionError("deserializing with reuse gave " + reused + ", not " + copy);
    }
    // copy() is what chained operators use when object reuse is off
    T copied = serializer.copy(value);
    if (!copied.equals(copy)) {
      throw new AssertionError("copy " + copied + " differs from the deserialized " + copy);
    }
    return copy;
  }
}
