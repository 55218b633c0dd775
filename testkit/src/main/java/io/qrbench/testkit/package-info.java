/**
 * Contract tests for qrbench plugins, and fakes for the contexts the framework hands them, so that
 * a plugin author tests a plugin with JUnit 5 alone, without qrbench's runner.
 *
 * <p>Extend the contract of the plugin's kind and name the plugin and a configuration; every
 * {@code @Test} of the contract then runs against it:
 *
 * <ul>
 *   <li>{@link io.qrbench.testkit.PerturbationContract}: same seed, same output; a batch of 8
 *       equals two batches of 4 and an image's output does not depend on its neighbours; float32 in
 *       [0,1] of the input's shape; the clean batch untouched; the output freed with the batch;
 *   <li>{@link io.qrbench.testkit.QuantizerContract}: the packed form decodes to the quantized
 *       kernel; skipped layers and every non-kernel parameter untouched; quantizing twice changes
 *       nothing more; the summary describes every layer; a layer made with the training hook is
 *       quantized to what its transform evaluates;
 *   <li>{@link io.qrbench.testkit.ModelProviderContract}: (N, C, H, W) in, (N, classes) out, finite
 *       and deterministic, every kernel made by the context's layers;
 *   <li>{@link io.qrbench.testkit.DatasetProviderContract}: the declared sizes and shapes, values
 *       in [0,1], labels in range, the same images each time a split is opened, thread-safe reads.
 * </ul>
 *
 * <p>The contracts need a DJL engine at test time (qrbench uses PyTorch: {@code
 * ai.djl.pytorch:pytorch-engine} with its native library), added by the plugin's own build.
 */
package io.qrbench.testkit;
