package io.qrbench.spi;

/** The configuration of a plugin that takes no settings; any key given to it is an error. */
public record EmptyConfig() {}
