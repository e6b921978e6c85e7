package io.vaeguard.pipeline.serde;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for an Avro generated class ({@code Alert}, {@code DeadLetter}, ...),
 * without the {@code flink-avro} dependency. Flink's type extraction refuses Avro classes when
 * {@code flink-avro} is missing ("You may be missing the 'flink-avro' dependency"), so streams of
 * Avro records need this type given explicitly: through {@link
 * org.apache.flink.api.java.typeutils.ResultTypeQueryable} (our functions that emit Avro records
 * implement it), an {@code OutputTag} built with it, or {@code returns(...)}.
 *
 * <p>Records travel between operators as length-prefixed Avro binary (see {@link
 * AvroSpecificSerializer}).
 */
public final class AvroSpecificTypeInfo<T extends SpecificRecord> extends TypeInformation<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  private AvroSpecificTypeInfo(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
  }

  public static <T extends SpecificRecord> AvroSpecificTypeInfo<T> forClass(Class<T> type) {
    return new AvroSpecificTypeInfo<>(type);
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new AvroSpecificSerializer<>(type, null);
  }

  @Override
  public String toString() {
    return "AvroSpecific<" + type.getName() + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvroSpecificTypeInfo<?> other && other.canEqual(this) && type.equals(other.type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof AvroSpecificTypeInfo;
  }
}
