package dev.parallax.telemetry.file;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by the strict way of reading a trace file when the file has {@linkplain Problem problems}.
 * Its message lists the first few as {@code file:line: message}; {@link #problems()} has them all.
 */
public final class TraceFileException extends RuntimeException {

  private static final int LISTED = 5;

  private final transient List<Problem> problems;

  TraceFileException(List<Problem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order. */
  public List<Problem> problems() {
    return problems;
  }

  private static String message(List<Problem> problems) {
    String listed =
        problems.stream().limit(LISTED).map(Problem::toString).collect(Collectors.joining("\n  "));
    String more =
        problems.size() > LISTED ? "\n  ... and " + (problems.size() - LISTED) + " more" : "";
    return problems.size()
        + " problem(s) reading "
        + problems.getFirst().file()
        + ":\n  "
        + listed
        + more;
  }
}
