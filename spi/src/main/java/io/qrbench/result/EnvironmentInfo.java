package io.qrbench.result;

/**
 * Where a run happened, recorded beside its numbers.
 *
 * @param qrbenchVersion qrbench's version
 * @param djlVersion DJL's version
 * @param engine the DJL engine's name
 * @param engineVersion the engine's version (PyTorch's)
 * @param javaVersion the JVM's version
 * @param javaVendor the JVM's vendor
 * @param os operating system and architecture
 * @param cpu the processor model
 * @param cores processors available to the JVM
 * @param threads intra-op threads the engine was told to use, or null if left to the engine
 * @param gitCommit the qrbench checkout's commit (with {@code -dirty} when it had local changes),
 *     or null outside a git checkout
 */
public record EnvironmentInfo(
    String qrbenchVersion,
    String djlVersion,
    String engine,
    String engineVersion,
    String javaVersion,
    String javaVendor,
    String os,
    String cpu,
    int cores,
    Integer threads,
    String gitCommit) {}
