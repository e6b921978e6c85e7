package io.vaeguard.model.scorer;

/**
 * Copies of a model's outputs for {@code rows} rows, row-major; for tests and export checks, not
 * the hot path.
 */
public record Outputs(
    int rows, int inputDim, int latentDim, float[] recon, float[] mu, float[] logvar) {

  public float recon(int row, int col) {
    return recon[row * inputDim + col];
  }

  public float mu(int row, int k) {
    return mu[row * latentDim + k];
  }

  public float logvar(int row, int k) {
    return logvar[row * latentDim + k];
  }
}
