package io.qrbench.suite;

/**
 * Problems found after a suite was loaded (by checks that read the files it names), placed where
 * the suite says the thing, as the loader places its own.
 */
public final class SuitePlaces {
  private final YamlDocument doc;

  private SuitePlaces(YamlDocument doc) {
    this.doc = doc;
  }

  /** The places of a loaded suite's keys and values. */
  public static SuitePlaces of(Suite suite) {
    return new SuitePlaces(YamlDocument.parse(suite.file(), suite.source()));
  }

  /**
   * A problem at the value of {@code pointer}, e.g. {@code /models/1/weights}.
   *
   * @param problem what is wrong (may end with its own fix line)
   * @param fix how to fix it, or empty
   */
  public SuiteProblem atValue(String pointer, String problem, String fix) {
    return doc.problemAtValue(pointer, problem, fix);
  }
}
