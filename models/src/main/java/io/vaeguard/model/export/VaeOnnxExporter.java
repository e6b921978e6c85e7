package io.vaeguard.model.export;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.vaeguard.model.Dense;
import io.vaeguard.model.Precision;
import io.vaeguard.model.VaeWeights;
import io.vaeguard.model.card.ModelCard;
import io.vaeguard.model.card.ModelCards;
import io.vaeguard.model.quantize.ActivationRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Exports {@link VaeWeights} as an ONNX model that meets the model contract (docs/ARCHITECTURE.md,
 * section 2): float input {@code x [N, D]}, float outputs {@code recon [N, D]}, {@code mu [N, K]},
 * {@code logvar [N, K]}, N dynamic. The graph is {@link VaeWeights#forward} with {@code z = mu}:
 * encoder layers Dense + Relu, linear mu and logvar heads, decoder Dense + Relu except the last,
 * linear layer.
 */
public final class VaeOnnxExporter {

  public static final String INPUT = "x";
  public static final String RECON = "recon";
  public static final String MU = "mu";
  public static final String LOGVAR = "logvar";

  private VaeOnnxExporter() {}

  /** The serialized ONNX model. */
  public static byte[] export(VaeWeights w, Precision p, String graphName) {
    return export(w, p, null, graphName);
  }

  /**
   * The serialized ONNX model; {@code ranges} (each layer's input range on calibration rows) are
   * needed for {@link Precision#INT8_STATIC} and ignored otherwise.
   */
  public static byte[] export(
      VaeWeights w, Precision p, ActivationRanges ranges, String graphName) {
    LinearLayerWriter linear =
        p == Precision.INT8_STATIC && ranges != null
            ? LinearLayerWriter.staticInt8(ranges)
            : LinearLayerWriter.of(p);
    OnnxGraphBuilder g = new OnnxGraphBuilder();
    int dim = w.inputDim();
    int latent = w.latentDim();
    g.input(INPUT, DataType.FLOAT, OnnxGraphBuilder.BATCH, dim);

    String h = INPUT;
    List<Dense> encoder = w.encoder();
    for (int i = 0; i < encoder.size(); i++) {
      String pre = linear.write(g, h, encoder.get(i), "enc" + i, "enc" + i + "_pre");
      h = g.node("Relu", List.of(pre), List.of("enc" + i + "_out"));
    }
    linear.write(g, h, w.mu(), "mu", MU);
    linear.write(g, h, w.logvar(), "logvar", LOGVAR);

    // At inference z = mu: no sampling, so the score of a row never changes between runs.
    String y = MU;
    List<Dense> decoder = w.decoder();
    for (int i = 0; i < decoder.size(); i++) {
      boolean last = i == decoder.size() - 1;
      String pre = linear.write(g, y, decoder.get(i), "dec" + i, last ? RECON : "dec" + i + "_pre");
      y = last ? pre : g.node("Relu", List.of(pre), List.of("dec" + i + "_out"));
    }

    g.output(RECON, DataType.FLOAT, OnnxGraphBuilder.BATCH, dim);
    g.output(MU, DataType.FLOAT, OnnxGraphBuilder.BATCH, latent);
    g.output(LOGVAR, DataType.FLOAT, OnnxGraphBuilder.BATCH, latent);
    g.metadata("vaeguard.precision", p.id());
    g.metadata("vaeguard.hidden", w.hidden().toString());
    return g.toBytes(graphName, producerVersion());
  }

  /** Writes the ONNX model to {@code file}, creating parent directories. */
  public static void write(VaeWeights w, Precision p, String graphName, Path file) {
    write(w, p, null, graphName, file);
  }

  /**
   * As {@link #write(VaeWeights, Precision, String, Path)}, with activation ranges for static int8.
   */
  public static void write(
      VaeWeights w, Precision p, ActivationRanges ranges, String graphName, Path file) {
    byte[] bytes = export(w, p, ranges, graphName);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ONNX model " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a loadable model directory: {@code dir/model.onnx} and {@code dir/model.json}, the card
   * given the precision {@code p} (the rest of the card is the caller's).
   */
  public static void writeModelDir(VaeWeights w, Precision p, ModelCard card, Path dir) {
    writeModelDir(w, p, null, card, dir);
  }

  /**
   * As {@link #writeModelDir(VaeWeights, Precision, ModelCard, Path)}, with activation ranges for
   * static int8.
   */
  public static void writeModelDir(
      VaeWeights w, Precision p, ActivationRanges ranges, ModelCard card, Path dir) {
    ModelCard c = card.withPrecision(p.id(), card.validation());
    String onnx = c.onnxFile() != null ? c.onnxFile() : ModelCard.ONNX_FILE;
    write(w, p, ranges, c.name() != null ? c.name() : "vae", dir.resolve(onnx));
    ModelCards.write(c, dir.resolve(ModelCard.CARD_FILE));
  }

  private static String producerVersion() {
    String v = VaeOnnxExporter.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
