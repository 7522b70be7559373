package dev.parallax.samples.analyze;

import dev.parallax.samples.cli.ProgressLine;
import java.io.PrintWriter;

/**
 * A one-line progress bar redrawn in place (carriage return) on the error stream, so that standard
 * output stays clean for the report. Steps are counted, never timed. Cleared when finished. Not
 * thread-safe.
 */
final class ProgressBar {

  private static final int WIDTH = 30;
  private static final int LABEL = 40;

  private final ProgressLine line;
  private final int total;
  private final boolean enabled;
  private int done;

  private ProgressBar(PrintWriter err, int total, boolean enabled) {
    this.line = new ProgressLine(err);
    this.total = Math.max(1, total);
    this.enabled = enabled;
  }

  /** A bar of {@code total} steps drawn on {@code err}, or nothing if not {@code enabled}. */
  static ProgressBar of(PrintWriter err, int total, boolean enabled) {
    return new ProgressBar(err, total, enabled);
  }

  /** Counts one step done and shows {@code what} comes next. */
  void step(String what) {
    done = Math.min(total, done + 1);
    show(what);
  }

  /** Shows {@code what} is being done, without counting a step. */
  void show(String what) {
    if (enabled) {
      String label = what.length() > LABEL ? "…" + what.substring(what.length() - LABEL + 1) : what;
      line.show(
          String.format(
              "analyze %s %3d%% %s",
              ProgressLine.bar((double) done / total, WIDTH), 100 * done / total, label));
    }
  }

  /** Clears the bar. */
  void finish() {
    line.clear();
  }
}
