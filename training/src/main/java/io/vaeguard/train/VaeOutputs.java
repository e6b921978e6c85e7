package io.vaeguard.train;

/** The three outputs of a VAE forward pass with z = mu, one row per input row. */
public record VaeOutputs(float[][] recon, float[][] mu, float[][] logvar) {}
