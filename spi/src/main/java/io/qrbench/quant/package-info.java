/**
 * Pure-Java weight quantization maths and bit packing, free of DJL so that every formula can be
 * tested exactly on plain arrays; the DJL quantizer plugins only move tensors in and out.
 *
 * <p>A weight tensor is a {@code float[] w} plus {@code channels}, the size of dimension 0 (the
 * output channels). Channel {@code c} owns the contiguous slice {@code [c*per, (c+1)*per)} with
 * {@code per = w.length / channels}, which is how a row-major conv or dense kernel is laid out.
 * {@link io.qrbench.quant.Granularity} picks one scale per tensor or per channel.
 *
 * <p>Codes (one unsigned byte per weight in {@link io.qrbench.quant.Quantized#codes()}):
 *
 * <ul>
 *   <li>ternary (TWN, TTQ): {@code t + 1}, i.e. -1 to 0, 0 to 1, +1 to 2;
 *   <li>binary: 0 for -alpha, 1 for +alpha;
 *   <li>uniform k-bit: {@code q + (2^(k-1) - 1)}, in {@code [0, 2^k - 2]}.
 * </ul>
 *
 * <p>Every quantizer computes its dequantized values from its own codes and scales with the same
 * float expression that {@link io.qrbench.quant.Packing#dequantize} uses, so a tensor
 * read back from a packed file is bit-identical to the one the quantizer produced.
 */
package io.qrbench.quant;
