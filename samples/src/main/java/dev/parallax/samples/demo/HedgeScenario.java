package dev.parallax.samples.demo;

import dev.parallax.Parallax;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hedged calls, run for real: a search tool that sleeps a log-normal time around 20 ms, and 2% of
 * the time ten times as long, called in turns of 8 parallel calls without hedging and then with
 * {@code Parallax.builder().hedging(HedgePolicy.ofDefaults())}, whose predictor starts cold.
 */
public final class HedgeScenario {

  private static final int TURNS = 60;
  private static final int PER_TURN = 8;

  private final PrintWriter out;

  /** Prints to {@code out}. */
  public HedgeScenario(PrintWriter out) {
    this.out = out;
  }

  /** Runs the scenario under the given demo number. */
  public void run(int number) {
    out.printf(Locale.ROOT, "%n--- Demo %d: Hedged calls at the predicted tail ---%n", number);
    out.printf(
        Locale.ROOT,
        "tool 'search' (idempotent) sleeps ~20 ms (log-normal), 2%% of attempts 10x longer;"
            + " %d turns of %d parallel calls%n",
        TURNS,
        PER_TURN);
    out.flush();
    report("no hedging", measure(false));
    report("hedged at the predicted p90 (budget 10%)", measure(true));
    out.println(
        "  (the predictor starts cold: no hedge until it has seen the tool and calls have earned"
            + " budget)");
    out.flush();
  }

  private record Figures(
      double p50, double p99, long calls, long attempts, long hedges, long won, long interrupted) {}

  private Figures measure(boolean hedging) {
    SplittableRandom random = new SplittableRandom(17);
    AtomicLong attempts = new AtomicLong();
    AtomicLong interrupted = new AtomicLong();
    Tool<Integer, String> search =
        Tools.named("search")
            .description("a search backend with a heavy tail")
            .idempotent(true)
            .input(Integer.class)
            .function(
                (i, context) -> {
                  attempts.incrementAndGet();
                  double ms;
                  synchronized (random) {
                    ms = 20 * Math.exp(0.5 * random.nextGaussian());
                    if (random.nextDouble() < 0.02) {
                      ms *= 10;
                    }
                  }
                  try {
                    Thread.sleep(Duration.ofNanos((long) (ms * 1e6))); // the backend's work
                  } catch (InterruptedException e) {
                    interrupted.incrementAndGet(); // a hedge answered first: this one is cancelled
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("cancelled", e);
                  }
                  return "results for query " + i;
                });
    var builder = Parallax.builder().warmStart(false);
    if (hedging) {
      builder.hedging(HedgePolicy.ofDefaults());
    }
    List<Double> latencies = new ArrayList<>();
    long hedges;
    long won;
    try (Parallax parallax = builder.build()) {
      for (int t = 0; t < TURNS; t++) {
        List<ToolCall<?, ?>> turn = new ArrayList<>();
        for (int c = 0; c < PER_TURN; c++) {
          turn.add(ToolCall.of("q" + t + "-" + c, search, t * PER_TURN + c));
        }
        RunResult run = parallax.executor().execute(ExecutionPlan.parallel(turn));
        for (CallResult<?> r : run.results()) {
          if (r.startedAt() != null) {
            latencies.add(Duration.between(r.startedAt(), r.finishedAt()).toNanos() / 1e6);
          }
        }
      }
      hedges = parallax.executor().hedgesStarted();
      won = parallax.executor().hedgesWon();
    }
    double[] sorted = latencies.stream().mapToDouble(d -> d).sorted().toArray();
    return new Figures(
        percentile(sorted, 50),
        percentile(sorted, 99),
        (long) TURNS * PER_TURN,
        attempts.get(),
        hedges,
        won,
        interrupted.get());
  }

  private void report(String label, Figures f) {
    out.printf(
        Locale.ROOT,
        "  %-42s p50 %6.1f ms   p99 %6.1f ms   extra calls %4.1f%% (%d hedges, %d won, %d losers"
            + " interrupted)%n",
        label,
        f.p50(),
        f.p99(),
        100.0 * (f.attempts() - f.calls()) / f.calls(),
        f.hedges(),
        f.won(),
        f.interrupted());
    out.flush();
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  @Override
  public String toString() {
    return "HedgeScenario" + Arrays.asList(TURNS, PER_TURN);
  }
}
