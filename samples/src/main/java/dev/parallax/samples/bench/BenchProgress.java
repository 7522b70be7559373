package dev.parallax.samples.bench;

import dev.parallax.samples.bench.workload.ProgressListener;
import dev.parallax.samples.cli.ProgressLine;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows on stderr how far the benchmark has got (the workload-and-phase view; the counted-steps bar
 * of {@code analyze} is {@link dev.parallax.samples.cli.ProgressBar}). On a terminal, one line
 * redrawn in place (at most ten times a second): workload, phase, a bar, the share of the phase
 * done and the time spent on the workload. Elsewhere (a file, a pipe, a test) only a line when a
 * workload starts and ends. Every workload's time is printed when it ends, so the output says where
 * the time goes.
 */
final class BenchProgress implements ProgressListener {

  private static final int WIDTH = 20;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final ProgressLine line;
  private final boolean terminal;
  private final int workloads;
  private int index;
  private String workload = "";
  private String phase = "";
  private long steps;
  private long done;
  private long workloadStart;
  private long lastDraw;

  /**
   * @param err where to draw
   * @param terminal whether {@code err} is a terminal (redraw in place) or not (lines only)
   * @param workloads how many workloads will run
   */
  BenchProgress(PrintWriter err, boolean terminal, int workloads) {
    this.err = err;
    this.line = new ProgressLine(err);
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
    line.show(
        String.format(
            Locale.ROOT,
            "[%d/%d] %-8s %s %3.0f%% %s (%d/%d) %.1f s",
            index,
            workloads,
            workload,
            ProgressLine.bar(share, WIDTH),
            100 * share,
            phase,
            done,
            steps,
            (now - workloadStart) / 1e9));
  }

  private void clear() {
    line.clear();
  }
}
