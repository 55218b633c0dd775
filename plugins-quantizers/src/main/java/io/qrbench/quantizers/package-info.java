/**
 * The built-in quantizers ({@code fp32}, {@code twn}, {@code ttq}, {@code binary}, {@code
 * uniform}), their maths, and the helpers a new quantizer builds on.
 *
 * <p>To write one, extend {@link io.qrbench.quantizers.KernelQuantizer} and return the quantized
 * form of one kernel as a {@link io.qrbench.quantizers.Quantized}: codes plus the {@link
 * io.qrbench.spi.packed.Decoding} that turns them into floats. The base class runs the per-layer
 * loop with the {@link io.qrbench.quantizers.SkipRule}, summarises each layer, packs the kernels
 * for {@code qrbench quantize}, and gives a straight-through training hook; {@link
 * io.qrbench.quantizers.TtqHook} shows a hook whose quantizer learns state of its own. The README's
 * "Writing a quantizer" is a complete example, compiled and run by a test.
 *
 * <p>The maths is pure Java on plain arrays, free of DJL, so every formula is tested exactly:
 * {@link io.qrbench.quantizers.Ternary} (TWN, Li and Liu 2016; TTQ, Zhu et al. 2016), {@link
 * io.qrbench.quantizers.Binary} (BWN, Rastegari et al. 2016) and {@link
 * io.qrbench.quantizers.Uniform} (symmetric k-bit). A kernel is a row-major {@code float[] w} plus
 * {@code channels}, the size of dimension 0: channel {@code c} owns {@code [c*per, (c+1)*per)} with
 * {@code per = w.length / channels}; {@link io.qrbench.quantizers.Granularity} picks one scale per
 * tensor or per channel. Codes are one unsigned byte per weight: ternary {@code t + 1}; binary 0
 * for {@code -alpha}, 1 for {@code +alpha}; uniform k-bit {@code q + 2^(k-1) - 1}. Each quantizer
 * computes its values as the decoding of its codes, so a packed tensor reads back bit for bit, with
 * the same floats as before the packed format opened up.
 */
package io.qrbench.quantizers;
