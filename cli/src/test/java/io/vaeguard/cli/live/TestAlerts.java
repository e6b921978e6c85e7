package io.vaeguard.cli.live;

import io.vaeguard.schema.Alert;
import io.vaeguard.schema.FeatureShare;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Hand-made Alerts for the view's tests. */
public final class TestAlerts {
  private TestAlerts() {}

  public static Alert alert(
      String entity, Instant eventTime, double score, List<FeatureShare> top) {
    return Alert.newBuilder()
        .setEntityId(entity)
        .setEventTime(eventTime)
        .setDetectionTime(eventTime.plusMillis(40))
        .setModelName("vae")
        .setModelVersion("1")
        .setScore(score)
        .setSeverity((int) Math.round(100 * score))
        .setReconstructionError(3.2)
        .setKl(0.1)
        .setThreshold(0.9)
        .setTopFeatures(top)
        .build();
  }

  public static FeatureShare share(String feature, double share) {
    return FeatureShare.newBuilder().setFeature(feature).setShare(share).build();
  }

  /** Single-object encoding, as the job writes it. */
  public static byte[] encode(Alert a) {
    try {
      ByteBuffer b = a.toByteBuffer();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
