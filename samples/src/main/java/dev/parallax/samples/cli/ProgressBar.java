package dev.parallax.samples.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar of counted steps redrawn in place (carriage return) on the error stream,
 * so that standard output stays clean for the report: {@code PREFIX [####------] 40% label}. Steps
 * are counted, never timed. Cleared when finished. Not thread-safe.
 */
public final class ProgressBar {

  private static final int WIDTH = 30;
  private static final int LABEL = 40;

  private final ProgressLine line;
  private final String prefix;
  private final boolean enabled;

  private ProgressBar(PrintWriter err, String prefix, boolean enabled) {
    this.line = new ProgressLine(err);
    this.prefix = prefix;
    this.enabled = enabled;
  }

  /** A bar starting with {@code prefix} drawn on {@code err}, or nothing if not {@code enabled}. */
  public static ProgressBar of(PrintWriter err, String prefix, boolean enabled) {
    return new ProgressBar(err, prefix, enabled);
  }

  /** Shows that {@code done} of {@code total} steps are done and {@code what} is being done. */
  public void show(int done, int total, String what) {
    if (enabled) {
      int all = Math.max(1, total);
      int count = Math.clamp(done, 0, all);
      String label = what.length() > LABEL ? "…" + what.substring(what.length() - LABEL + 1) : what;
      line.show(
          String.format(
              "%s %s %3d%% %s",
              prefix, ProgressLine.bar((double) count / all, WIDTH), 100 * count / all, label));
    }
  }

  /** Clears the bar. */
  public void finish() {
    line.clear();
  }
}
