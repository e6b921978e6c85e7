package io.vaeguard.model.scorer;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link VaeScorer} runs its ONNX Runtime session. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults suit a Flink subtask: one intra-op thread (parallelism comes from the subtasks, and a
 * second pool per subtask would fight them for cores), every graph optimization, CPU.
 */
public final class ScorerOptions {

  /** Valid device strings, for messages and help texts. */
  public static final String DEVICES = "cpu, cuda, cuda:N (N = GPU index)";

  private final int intraOpThreads;
  private final OptLevel optimizationLevel;
  private final String device;
  private final int cudaDevice; // -1 for cpu

  private ScorerOptions(Builder b) {
    this.intraOpThreads = b.intraOpThreads;
    this.optimizationLevel = b.optimizationLevel;
    this.device = b.device;
    this.cudaDevice = parseCudaDevice(b.device);
  }

  public static Builder builder() {
    return new Builder();
  }

  public static ScorerOptions defaults() {
    return builder().build();
  }

  public int intraOpThreads() {
    return intraOpThreads;
  }

  public OptLevel optimizationLevel() {
    return optimizationLevel;
  }

  /** As given: {@code cpu}, {@code cuda} or {@code cuda:N}. */
  public String device() {
    return device;
  }

  public boolean wantsCuda() {
    return cudaDevice >= 0;
  }

  /** The GPU index asked for, or -1 for CPU. */
  public int cudaDevice() {
    return cudaDevice;
  }

  @Override
  public String toString() {
    return "ScorerOptions[device="
        + device
        + ", intraOpThreads="
        + intraOpThreads
        + ", optimizationLevel="
        + optimizationLevel
        + "]";
  }

  /** -1 for cpu, else the GPU index; refuses anything else with the valid choices. */
  static int parseCudaDevice(String device) {
    String d = device.trim().toLowerCase(Locale.ROOT);
    if (d.equals("cpu")) {
      return -1;
    }
    if (d.equals("cuda")) {
      return 0;
    }
    if (d.startsWith("cuda:")) {
      try {
        int n = Integer.parseInt(d.substring(5));
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
    }
    throw new IllegalArgumentException(
        "unknown device '" + device + "', expected one of " + DEVICES);
  }

  public static final class Builder {
    private int intraOpThreads = 1;
    private OptLevel optimizationLevel = OptLevel.ALL_OPT;
    private String device = "cpu";

    private Builder() {}

    /** Threads ONNX Runtime may use inside one run, at least 1. */
    public Builder intraOpThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("intraOpThreads must be at least 1, got " + threads);
      }
      this.intraOpThreads = threads;
      return this;
    }

    public Builder optimizationLevel(OptLevel level) {
      this.optimizationLevel = Objects.requireNonNull(level, "optimizationLevel");
      return this;
    }

    /**
     * {@code cpu}, {@code cuda} or {@code cuda:N}; CUDA falls back to CPU (with a warning) where it
     * is missing.
     */
    public Builder device(String device) {
      Objects.requireNonNull(device, "device");
      parseCudaDevice(device);
      this.device = device.trim().toLowerCase(Locale.ROOT);
      return this;
    }

    public ScorerOptions build() {
      return new ScorerOptions(this);
    }
  }
}
