package dev.parallax.samples.bench;

import dev.parallax.samples.bench.workload.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows on stderr how far the benchmark has got. On a terminal, one line redrawn in place (at most
 * ten times a second): workload, phase, a bar, the share of the phase done and the time spent on
 * the workload. Elsewhere (a file, a pipe, a test) only a line when a workload starts and ends.
 * Every workload's time is printed when it ends, so the output says where the time goes.
 */
final class ProgressBar implements ProgressListener {

  private static final int WIDTH = 20;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final boolean terminal;
  private final int workloads;
  private final int columns = columns();
  private int index;
  private String workload = "";
  private String phase = "";
  private long steps;
  private long done;
  private long workloadStart;
  private long lastDraw;
  private int drawnWidth;

  /**
   * @param err where to draw
   * @param terminal whether {@code err} is a terminal (redraw in place) or not (lines only)
   * @param workloads how many workloads will run
   */
  ProgressBar(PrintWriter err, boolean terminal, int workloads) {
    this.err = err;
    this.terminal = terminal;
    this.workloads = workloads;
  }

  /** A workload starts. */
  void startWorkload(String name) {
    index++;
    workload = name;
    phase = "";
    steps = 0;
    done = 0;
    workloadStart = System.nanoTime();
    if (!terminal) {
      err.printf(Locale.ROOT, "bench: [%d/%d] %s ...%n", index, workloads, name);
      err.flush();
    } else {
      draw(true);
    }
  }

  /** The current workload ended after {@code seconds}. */
  void endWorkload(double seconds) {
    clear();
    err.printf(
        Locale.ROOT, "bench: [%d/%d] %s done in %.1f s%n", index, workloads, workload, seconds);
    err.flush();
  }

  @Override
  public void phase(String label, long steps) {
    this.phase = label;
    this.steps = Math.max(0, steps);
    this.done = 0;
    draw(true);
  }

  @Override
  public void step() {
    done++;
    draw(done == steps);
  }

  private void draw(boolean force) {
    if (!terminal) {
      return;
    }
    long now = System.nanoTime();
    if (!force && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double share = steps == 0 ? 0 : Math.min(1, (double) done / steps);
    int filled = (int) Math.round(share * WIDTH);
    String line =
        String.format(
            Locale.ROOT,
            "[%d/%d] %-8s [%s%s] %3.0f%% %s (%d/%d) %.1f s",
            index,
            workloads,
            workload,
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            100 * share,
            phase,
            done,
            steps,
            (now - workloadStart) / 1e9);
    if (line.length() >= columns) {
      line = line.substring(0, columns - 1); // a wrapped line cannot be redrawn in place
    }
    err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
    drawnWidth = line.length();
    err.flush();
  }

  /** The terminal's width from {@code COLUMNS} when the shell exports it, else 80. */
  private static int columns() {
    try {
      int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
      return columns >= 20 ? columns : 80;
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  private void clear() {
    if (terminal && drawnWidth > 0) {
      err.print("\r" + " ".repeat(drawnWidth) + "\r");
      drawnWidth = 0;
    }
  }
}
