package dev.parallax.analysis;

/**
 * Told how an {@link Analyzer} gets on: steps done (to draw a progress bar) and warnings about
 * input it skipped. The analysis never prints. Called on the thread that runs {@link
 * Analyzer#analyze}; whatever a listener throws is logged (logger {@code dev.parallax.analysis},
 * naming the listener seam), counted in {@link Analysis#listenerFailures()} and otherwise ignored.
 */
public interface AnalysisListener {

  /** A listener that ignores everything. */
  AnalysisListener NONE = new AnalysisListener() {};

  /**
   * The analysis moved on: {@code done} of {@code total} steps are done (reading an input, training
   * on it and three simulations of it are a step each) and {@code what} is being done now. Called
   * again with the same {@code done} when only {@code what} changed.
   */
  default void progress(int done, int total, String what) {}

  /**
   * A reader skipped something an analysis can do without — a trace file's last line cut short by a
   * writer that crashed. One line naming the file and line, starting with {@code warning: }. Called
   * as the input is read, before the analysis of any input.
   */
  default void warning(String line) {}
}
