package io.qrbench.result;

/**
 * What a model costs to store and to run, per image.
 *
 * @param parameters trainable parameters
 * @param fp32Bytes bytes of all parameters as 32-bit floats
 * @param packedBytes bytes in the quantizer's packed storage (full-precision tensors at 4 bytes
 *     each)
 * @param zeroFraction fraction of quantized kernel weights that are exactly zero
 * @param macs multiply-accumulates in one forward pass of one image (convolutions and linear
 *     layers), or -1 when unknown (an imported model)
 * @param lowBitMacShare share of those MACs whose weights are ternary or binary, which a ternary
 *     kernel does with additions only
 */
public record ModelCost(
    long parameters,
    long fp32Bytes,
    long packedBytes,
    double zeroFraction,
    long macs,
    double lowBitMacShare) {}
