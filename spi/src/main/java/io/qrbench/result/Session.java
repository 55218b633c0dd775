package io.qrbench.result;

/**
 * One session of a run: the run itself, or one {@code --resume} of it.
 *
 * @param startedAt ISO-8601 instant the session started
 * @param seconds seconds it spent running, from its start to its last save of the results (a killed
 *     session's unfinished case is not counted, nor the time until it was resumed)
 * @param cases cases it finished (failed ones included)
 */
public record Session(String startedAt, double seconds, int cases) {}
