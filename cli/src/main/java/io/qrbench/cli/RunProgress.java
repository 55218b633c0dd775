package io.qrbench.cli;

import io.qrbench.runner.RunListener.PlannedCase;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How far a whole run is: which case of how many, how much of the work is done and when the rest
 * should be. Work is images weighted by each case's estimated forward passes per image, so that an
 * attack of a thousand passes counts for what it costs; the ETA divides the remaining work by the
 * speed measured on the cases so far (time spent preparing and training models is left out: it is
 * not per image). Thread-safe: a timer thread reads what the run's thread writes.
 */
final class RunProgress {
  private final List<PlannedCase> pending;
  private final int kept;
  private final LongSupplier nanoClock;
  private final double totalWork;
  private int finished; // of the pending cases
  private int current = -1; // index into pending of the running case, or -1
  private double doneWork; // of finished cases, plus the running case's done images
  private double workBeforeCurrent;
  private long caseNanos; // spent inside finished cases
  private long currentStart;

  /**
   * @param pending the cases to run, in order
   * @param kept cases already finished by an earlier run
   * @param nanoClock {@link System#nanoTime}, or a test's clock
   */
  RunProgress(List<PlannedCase> pending, int kept, LongSupplier nanoClock) {
    this.pending = List.copyOf(pending);
    this.kept = kept;
    this.nanoClock = nanoClock;
    this.totalWork = this.pending.stream().mapToDouble(RunProgress::work).sum();
  }

  private static double work(PlannedCase c) {
    return c.images() * c.passesPerImage();
  }

  /** Cases in the run, the kept ones included. */
  synchronized int totalCases() {
    return kept + pending.size();
  }

  /** The running case's number, from 1 (or the last finished one's between cases). */
  synchronized int caseNumber() {
    return kept + (current >= 0 ? current + 1 : finished);
  }

  /** A case starts: the next pending one, or the one with {@code id} if the order differs. */
  synchronized void caseStarted(String id) {
    int next = finished < pending.size() ? finished : pending.size() - 1;
    if (next >= 0 && !pending.get(next).id().equals(id)) {
      for (int i = 0; i < pending.size(); i++) {
        if (pending.get(i).id().equals(id)) {
          next = i;
          break;
        }
      }
    }
    current = next;
    workBeforeCurrent = doneWork;
    currentStart = nanoClock.getAsLong();
  }

  /** {@code images} more images of the running case are done. */
  synchronized void imagesDone(int images) {
    if (current >= 0) {
      doneWork += images * pending.get(current).passesPerImage();
    }
  }

  /** The running case ended (a failed case's remaining images count as done: none will run). */
  synchronized void caseFinished() {
    if (current < 0) {
      return;
    }
    doneWork = Math.min(totalWork, workBeforeCurrent + work(pending.get(current)));
    caseNanos += nanoClock.getAsLong() - currentStart;
    current = -1;
    finished++;
  }

  /** The share of the work done, in [0, 1]. */
  synchronized double fraction() {
    return totalWork <= 0
        ? (pending.isEmpty() ? 1 : (double) finished / pending.size())
        : Math.min(1, doneWork / totalWork);
  }

  /** Seconds until the last case should end, or a negative number before anything is measured. */
  synchronized double etaSeconds() {
    long spent = caseNanos + (current >= 0 ? nanoClock.getAsLong() - currentStart : 0);
    if (doneWork <= 0 || spent <= 0) {
      return -1;
    }
    return spent / 1e9 / doneWork * Math.max(0, totalWork - doneWork);
  }

  /** E.g. {@code case 57/114, 48% done, ETA 12 min}. */
  synchronized String summary() {
    return String.format(
        Locale.ROOT,
        "case %d/%d, %.0f%% done, ETA %s",
        caseNumber(),
        totalCases(),
        100 * fraction(),
        eta(etaSeconds()));
  }

  /** A duration the way a person reads it: {@code 40 s}, {@code 12 min}, {@code 2 h 05 min}. */
  static String eta(double seconds) {
    if (seconds < 0 || !Double.isFinite(seconds)) {
      return "unknown";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    long min = Math.round(seconds / 60);
    if (min < 60) {
      return min + " min";
    }
    return String.format(Locale.ROOT, "%d h %02d min", min / 60, min % 60);
  }
}
