package io.qrbench.spi;

/** Which part of a dataset to read. */
public enum Split {
  /** The part models are trained on. */
  TRAIN,
  /** The held-out part benchmarks are evaluated on. */
  TEST
}
