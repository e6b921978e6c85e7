package io.vaeguard.model.scorer;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Adds the per-row score reductions to a VAE's ONNX graph, in memory, so that ONNX Runtime works
 * out the per-column part of them with its vectorised kernels in the same {@code session.run} as
 * the model (Math.exp alone took about a third of a batch's time in Java):
 *
 * <ul>
 *   <li>{@code sqsum [N]} = sum over the D columns of {@code (x - recon)^2}, so E = sqsum / D;
 *   <li>{@code klsum [N]} = sum over the K latent columns of {@code logvar - mu^2 - exp(logvar)},
 *       so KL = -0.5 * (K + klsum).
 * </ul>
 *
 * <p>The last scalar steps are left to {@link #reconstructionError} and {@link #kl}, in doubles:
 * ONNX Runtime costs about 0.3 us a node per call whatever the batch, which batch-1 callers feel.
 * The nodes, in float32:
 *
 * <pre>
 *   diff = Sub(x, recon)        sqsum = ReduceSumSquare(diff, axis 1)      -> output sqsum
 *   var  = Exp(logvar)          musq  = Mul(mu, mu)
 *   t1   = Sub(logvar, var)     t2    = Sub(t1, musq)
 *   klsum = ReduceSum(t2, axis 1)                                          -> output klsum
 * </pre>
 *
 * <p>ReduceSum takes its axes as an input from opset 13 on and as an attribute before,
 * ReduceSumSquare likewise from opset 18 on; each is written in the form of the model's own
 * default-domain opset. Every other operator used has kept its signature since opset 7
 * (multidirectional broadcasting), the oldest opset accepted. The new names (values, initializers,
 * nodes, outputs) share a prefix that no name in the model, its subgraphs included, starts with.
 * The model's own nodes, outputs and metadata are left as they are.
 *
 * <p>Anything this class does not expect is an {@link Unsupported} naming the reason; the scorer
 * then falls back to computing E and KL in Java.
 */
final class ScoreGraph {

  /** The preferred prefix of every name this class adds. */
  static final String PREFIX = "vaeguard_";

  /** ReduceSum's axes moved from an attribute to an input in this opset. */
  static final int REDUCE_SUM_AXES_AS_INPUT = 13;

  /** The other reductions' axes (ReduceSumSquare's among them) moved in this one. */
  static final int REDUCE_AXES_AS_INPUT = 18;

  /** Sub, Mul, Div and Add broadcast numpy-style from this opset on. */
  static final int MIN_OPSET = 7;

  /** The augmented model and the names of its two extra outputs. */
  record Augmented(byte[] model, String sqsumOutput, String klsumOutput, int opset) {}

  /** E from the graph's {@code sqsum} of a row. */
  static double reconstructionError(float sqsum, int inputDim) {
    return (double) sqsum / inputDim;
  }

  /** KL from the graph's {@code klsum} of a row. */
  static double kl(float klsum, int latentDim) {
    return -0.5 * (latentDim + (double) klsum);
  }

  /** Why a model cannot be augmented; the message is meant for a log line. */
  static final class Unsupported extends Exception {
    Unsupported(String message) {
      super(message);
    }
  }

  private final GraphProto.Builder graph;
  private final String prefix;
  private final int opset;
  private final String axes; // the int64 [1] initializer {1} for opset >= 13, else null

  private ScoreGraph(GraphProto.Builder graph, String prefix, int opset) {
    this.graph = graph;
    this.prefix = prefix;
    this.opset = opset;
    if (opset >= REDUCE_SUM_AXES_AS_INPUT) {
      axes = prefix + "axes";
      ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L);
      graph.addInitializer(
          TensorProto.newBuilder()
              .setName(axes)
              .setDataType(DataType.INT64.getNumber())
              .addDims(1)
              .setRawData(ByteString.copyFrom(one)));
    } else {
      axes = null;
    }
  }

  /**
   * The model {@code onnx} with the outputs sqsum and klsum added.
   *
   * @throws Unsupported when the model is not a graph this class knows how to extend
   */
  static Augmented augment(byte[] onnx) throws Unsupported {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(onnx);
    } catch (InvalidProtocolBufferException e) {
      throw new Unsupported("the file is not a readable ONNX model (" + e.getMessage() + ")");
    }
    if (!model.hasGraph()) {
      throw new Unsupported("the model has no graph");
    }
    if (model.getIrVersion() < 4) {
      // before IR 4 every initializer must also be a graph input, which the contract forbids
      throw new Unsupported("IR version " + model.getIrVersion() + " is older than 4");
    }
    int opset = defaultOpset(model);
    if (opset < MIN_OPSET) {
      throw new Unsupported(
          opset < 0
              ? "the model imports no default-domain opset"
              : "default-domain opset " + opset + " is older than " + MIN_OPSET);
    }
    GraphProto g = model.getGraph();
    ValueInfoProto x = requireFloat(g.getInputList(), ModelContract.INPUT, "input");
    requireFloat(g.getOutputList(), ModelContract.RECON, "output");
    requireFloat(g.getOutputList(), ModelContract.MU, "output");
    requireFloat(g.getOutputList(), ModelContract.LOGVAR, "output");
    for (TensorProto t : g.getInitializerList()) {
      if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
        throw new Unsupported("initializer " + t.getName() + " is stored in an external file");
      }
    }

    String prefix = freePrefix(g);
    ScoreGraph s = new ScoreGraph(g.toBuilder(), prefix, opset);
    String e = s.addSquaredErrorSum();
    String kl = s.addKlSum();
    TensorShapeProto.Dimension rows =
        x.getType().getTensorType().getShape().getDimCount() > 0
            ? x.getType().getTensorType().getShape().getDim(0)
            : TensorShapeProto.Dimension.getDefaultInstance();
    s.graph.addOutput(rowVector(e, rows));
    s.graph.addOutput(rowVector(kl, rows));
    byte[] bytes = model.toBuilder().setGraph(s.graph).build().toByteArray();
    return new Augmented(bytes, e, kl, opset);
  }

  private String addSquaredErrorSum() {
    String diff = node("Sub", "diff", ModelContract.INPUT, ModelContract.RECON);
    return reduce("ReduceSumSquare", REDUCE_AXES_AS_INPUT, diff, "sqsum");
  }

  private String addKlSum() {
    String var = node("Exp", "var", ModelContract.LOGVAR);
    String muSq = node("Mul", "musq", ModelContract.MU, ModelContract.MU);
    String t1 = node("Sub", "t1", ModelContract.LOGVAR, var);
    String t2 = node("Sub", "t2", t1, muSq);
    return reduce("ReduceSum", REDUCE_SUM_AXES_AS_INPUT, t2, "klsum");
  }

  /**
   * A reduction over axis 1, dropping it: [N, C] -> [N]; its axes are an input from opset {@code
   * axesAsInput} on, an attribute before.
   */
  private String reduce(String op, int axesAsInput, String input, String name) {
    AttributeProto keepDims =
        AttributeProto.newBuilder()
            .setName("keepdims")
            .setType(AttributeProto.AttributeType.INT)
            .setI(0)
            .build();
    if (opset >= axesAsInput) {
      return node(op, name, List.of(input, axes), keepDims);
    }
    AttributeProto axesAttr =
        AttributeProto.newBuilder()
            .setName("axes")
            .setType(AttributeProto.AttributeType.INTS)
            .addInts(1)
            .build();
    return node(op, name, List.of(input), axesAttr, keepDims);
  }

  private String node(String op, String name, String... inputs) {
    return node(op, name, List.of(inputs));
  }

  private String node(String op, String name, List<String> inputs, AttributeProto... attributes) {
    String out = prefix + name;
    NodeProto.Builder n =
        NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out);
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return out;
  }

  private static ValueInfoProto rowVector(String name, TensorShapeProto.Dimension rows) {
    TypeProto.Tensor t =
        TypeProto.Tensor.newBuilder()
            .setElemType(DataType.FLOAT.getNumber())
            .setShape(TensorShapeProto.newBuilder().addDim(rows))
            .build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(t))
        .build();
  }

  /** The version of the default domain ({@code ""} or {@code ai.onnx}) the model imports, or -1. */
  static int defaultOpset(ModelProto model) {
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        return (int) Math.min(Integer.MAX_VALUE, o.getVersion());
      }
    }
    return -1;
  }

  private static ValueInfoProto requireFloat(List<ValueInfoProto> values, String name, String what)
      throws Unsupported {
    for (ValueInfoProto v : values) {
      if (v.getName().equals(name)) {
        TypeProto t = v.getType();
        if (!t.hasTensorType() || t.getTensorType().getElemType() != DataType.FLOAT.getNumber()) {
          throw new Unsupported(
              "graph " + what + " " + name + " is not declared as a float tensor");
        }
        return v;
      }
    }
    throw new Unsupported("the graph has no " + what + " named " + name);
  }

  /**
   * {@link #PREFIX}, or {@code vaeguard2_}, ...: the first that no name in the model starts with.
   */
  private static String freePrefix(GraphProto g) {
    Set<String> names = new HashSet<>();
    collectNames(g, names);
    for (int k = 1; ; k++) {
      String p = k == 1 ? PREFIX : "vaeguard" + k + "_";
      if (names.stream().noneMatch(n -> n.startsWith(p))) {
        return p;
      }
    }
  }

  private static void collectNames(GraphProto g, Set<String> names) {
    g.getInputList().forEach(v -> names.add(v.getName()));
    g.getOutputList().forEach(v -> names.add(v.getName()));
    g.getValueInfoList().forEach(v -> names.add(v.getName()));
    g.getInitializerList().forEach(t -> names.add(t.getName()));
    g.getSparseInitializerList().forEach(t -> names.add(t.getValues().getName()));
    for (NodeProto n : g.getNodeList()) {
      names.add(n.getName());
      names.addAll(n.getOutputList());
      names.addAll(n.getInputList());
      for (AttributeProto a : n.getAttributeList()) {
        if (a.hasG()) {
          collectNames(a.getG(), names);
        }
        for (GraphProto sub : a.getGraphsList()) {
          collectNames(sub, names);
        }
      }
    }
  }
}
