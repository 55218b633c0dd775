package io.qrbench.suite;

import io.qrbench.ConfigException;
import java.util.List;
import java.util.stream.Collectors;

/** A suite that cannot be used, with every problem found in it. */
public final class SuiteException extends ConfigException {
  private static final long serialVersionUID = 1L;

  private final transient List<SuiteProblem> problems;

  public SuiteException(List<SuiteProblem> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, in document order. */
  public List<SuiteProblem> problems() {
    return problems;
  }

  private static String format(List<SuiteProblem> problems) {
    String head =
        problems.size() == 1
            ? ""
            : problems.size() + " problems in " + problems.get(0).file() + ":\n";
    return head + problems.stream().map(SuiteProblem::format).collect(Collectors.joining("\n"));
  }
}
