package io.vaeguard.model.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes an ONNX graph with the protobuf classes: initializers, nodes, typed inputs and outputs.
 * Tribuo's own helpers lack MatMul, Relu and the quantization operators, so this small builder sits
 * directly on {@code ai.onnx.proto.OnnxMl}.
 *
 * <p>A dimension is either a number or a symbolic name such as {@link #BATCH}; ONNX Runtime then
 * accepts any size there. Tensor data goes into {@code raw_data}, little-endian as ONNX requires.
 * Names must be unique; the builder refuses a second value of the same name, since ONNX would
 * otherwise load a graph whose meaning depends on node order.
 */
public final class OnnxGraphBuilder {

  /** The symbolic batch dimension of every model input and output. */
  public static final String BATCH = "N";

  /** Opset of the default domain: widely supported, has every operator we use. */
  public static final int DEFAULT_OPSET = 17;

  /** ONNX IR version 8 is the first that may carry opset 17. */
  public static final long IR_VERSION = 8;

  public static final String MICROSOFT_DOMAIN = "com.microsoft";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> opsets = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private int nodeCount;

  public OnnxGraphBuilder() {
    opsets.put("", DEFAULT_OPSET);
  }

  /**
   * Adds a float graph input; dims are {@code Integer}/{@code Long} sizes or {@code String} names.
   */
  public OnnxGraphBuilder input(String name, DataType type, Object... dims) {
    claim(name);
    graph.addInput(valueInfo(name, type, dims));
    return this;
  }

  /** Declares a graph output; a node must produce a value of this name. */
  public OnnxGraphBuilder output(String name, DataType type, Object... dims) {
    graph.addOutput(valueInfo(name, type, dims));
    return this;
  }

  public OnnxGraphBuilder floatInitializer(String name, float[] values, long... dims) {
    ByteBuffer b = littleEndian(4 * values.length);
    b.asFloatBuffer().put(values);
    return initializer(name, DataType.FLOAT, b, values.length, dims);
  }

  /** Half-precision initializer from half bit patterns (see {@code quantize.Half}). */
  public OnnxGraphBuilder float16Initializer(String name, short[] halfBits, long... dims) {
    ByteBuffer b = littleEndian(2 * halfBits.length);
    b.asShortBuffer().put(halfBits);
    return initializer(name, DataType.FLOAT16, b, halfBits.length, dims);
  }

  public OnnxGraphBuilder int8Initializer(String name, byte[] values, long... dims) {
    ByteBuffer b = littleEndian(values.length);
    b.put(values).flip();
    return initializer(name, DataType.INT8, b, values.length, dims);
  }

  public OnnxGraphBuilder int32Initializer(String name, int[] values, long... dims) {
    ByteBuffer b = littleEndian(4 * values.length);
    b.asIntBuffer().put(values);
    return initializer(name, DataType.INT32, b, values.length, dims);
  }

  public OnnxGraphBuilder int64Initializer(String name, long[] values, long... dims) {
    ByteBuffer b = littleEndian(8 * values.length);
    b.asLongBuffer().put(values);
    return initializer(name, DataType.INT64, b, values.length, dims);
  }

  public OnnxGraphBuilder uint8Initializer(String name, byte[] values, long... dims) {
    ByteBuffer b = littleEndian(values.length);
    b.put(values).flip();
    return initializer(name, DataType.UINT8, b, values.length, dims);
  }

  /**
   * Adds a node of the default domain and returns its first output's name. Attributes come as
   * name/value pairs: {@code Integer}/{@code Long} become INT, {@code Float}/{@code Double} FLOAT,
   * {@code String} STRING.
   */
  public String node(
      String opType, List<String> inputs, List<String> outputs, Object... attributes) {
    return node("", opType, inputs, outputs, attributes);
  }

  /** Adds a node of {@code domain}, importing that domain at opset 1 if it is new. */
  public String node(
      String domain,
      String opType,
      List<String> inputs,
      List<String> outputs,
      Object... attributes) {
    Objects.requireNonNull(opType, "opType");
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException(opType + " node needs at least one output");
    }
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException(
          "attributes of " + opType + " must come as name/value pairs");
    }
    for (String out : outputs) {
      claim(out);
    }
    NodeProto.Builder n =
        NodeProto.newBuilder()
            .setOpType(opType)
            .setName(opType + "_" + nodeCount++)
            .addAllInput(inputs)
            .addAllOutput(outputs);
    if (!domain.isEmpty()) {
      n.setDomain(domain);
      opsets.putIfAbsent(domain, 1);
    }
    for (int i = 0; i < attributes.length; i += 2) {
      n.addAttribute(attribute((String) attributes[i], attributes[i + 1]));
    }
    graph.addNode(n);
    return outputs.get(0);
  }

  /**
   * A key/value pair stored in the model's {@code metadata_props} (ORT shows them as custom
   * metadata).
   */
  public OnnxGraphBuilder metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  public ModelProto build(String graphName, String producerVersion) {
    graph.setName(graphName);
    ModelProto.Builder m =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName("vaeguard")
            .setProducerVersion(producerVersion == null ? "" : producerVersion)
            .setGraph(graph.build());
    opsets.forEach(
        (domain, version) ->
            m.addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
    metadata.forEach(
        (k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build();
  }

  public byte[] toBytes(String graphName, String producerVersion) {
    return build(graphName, producerVersion).toByteArray();
  }

  private OnnxGraphBuilder initializer(
      String name, DataType type, ByteBuffer data, int count, long... dims) {
    long expected = 1;
    for (long d : dims) {
      expected *= d;
    }
    if (expected != count) {
      throw new IllegalArgumentException(
          "initializer "
              + name
              + " has "
              + count
              + " values for shape "
              + java.util.Arrays.toString(dims));
    }
    claim(name);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    t.setRawData(ByteString.copyFrom(data));
    graph.addInitializer(t);
    return this;
  }

  private void claim(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("ONNX value names must be non-empty");
    }
    if (!names.add(name)) {
      throw new IllegalArgumentException(
          "ONNX value name '" + name + "' is already used in this graph");
    }
  }

  private static ByteBuffer littleEndian(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ValueInfoProto valueInfo(String name, DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else if (d instanceof Number n) {
        dim.setDimValue(n.longValue());
      } else {
        throw new IllegalArgumentException(
            "dimension of " + name + " must be a number or a name, got " + d);
      }
      shape.addDim(dim);
    }
    TypeProto.Tensor tensor =
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }

  private static AttributeProto attribute(String name, Object value) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (value instanceof Integer || value instanceof Long) {
      a.setType(AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
    } else if (value instanceof Float || value instanceof Double) {
      a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
    } else if (value instanceof String s) {
      a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
    } else {
      throw new IllegalArgumentException(
          "attribute " + name + " has an unsupported type: " + value);
    }
    return a.build();
  }
}
