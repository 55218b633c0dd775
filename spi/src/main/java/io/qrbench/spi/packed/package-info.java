/**
 * The packed form of quantized weights, open to any quantizer: a {@link
 * io.qrbench.spi.packed.PackedTensor} holds integer codes plus its own {@link
 * io.qrbench.spi.packed.Decoding} (an integer grid or a codebook, optional per-group scales and
 * zero points), and {@link io.qrbench.spi.packed.Packing} packs codes densely and writes and reads
 * whole models (the byte layout is in its class comment). A quantizer returns its kernels from
 * {@link io.qrbench.spi.Quantizer#pack}; the framework stores and reads them without knowing the
 * scheme.
 */
package io.qrbench.spi.packed;
