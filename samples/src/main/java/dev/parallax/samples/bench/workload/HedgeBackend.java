package dev.parallax.samples.bench.workload;

import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heavy-tailed backend of the {@code hedging} workload, played in virtual time: every attempt
 * takes a log-normal time (median {@link #MEDIAN_MS}, or its tool's median in the mixed case; sigma
 * {@link #SIGMA}), and with probability {@link #STRAGGLER_PROBABILITY} it is a straggler that takes
 * {@link #STRAGGLER_FACTOR} times as long. The time of attempt {@code n} of call {@code i} is drawn
 * from a generator seeded by {@code (seed, i, n)}, so every policy sees the same first attempts and
 * a hedge draws afresh (stragglers are per request, as with a slow replica or a GC pause). Nothing
 * sleeps.
 *
 * <p>With several medians (the mixed case), call {@code i} goes to tool {@code i % tools}: tools of
 * the same tail shape whose typical latencies differ.
 */
final class HedgeBackend implements CallRunner {

  static final String TOOL = "search";
  static final double MEDIAN_MS = 100;
  static final double SIGMA = 0.5;
  static final double STRAGGLER_PROBABILITY = 0.02;
  static final double STRAGGLER_FACTOR = 10;

  /** One call: its index in the workload. */
  record HedgeCall(int index) {}

  private final VirtualTime time;
  private final long seed;
  private final double[] mediansMs;
  private final List<Tool<HedgeCall, String>> tools = new ArrayList<>();
  private final AtomicLong started = new AtomicLong();

  /** The backend: one tool, {@value #TOOL}, median {@link #MEDIAN_MS}. */
  HedgeBackend(VirtualTime time, long seed) {
    this(time, seed, new double[] {MEDIAN_MS});
  }

  /** One tool per median (named {@code tool-<median>ms}), or {@value #TOOL} if only one. */
  HedgeBackend(VirtualTime time, long seed, double[] mediansMs) {
    this.time = time;
    this.seed = seed;
    this.mediansMs = mediansMs.clone();
    for (double median : mediansMs) {
      String name = mediansMs.length == 1 ? TOOL : "tool-" + Math.round(median) + "ms";
      tools.add(
          Tools.named(name)
              .description("simulated tool with a heavy tail")
              .idempotent(true)
              .input(HedgeCall.class)
              .function(
                  (call, context) -> {
                    throw new IllegalStateException("simulated tool runs only in virtual time");
                  }));
    }
  }

  /** The tool of call {@code index}. */
  Tool<HedgeCall, String> tool(int index) {
    return tools.get(toolIndex(index));
  }

  /** Which tool call {@code index} goes to. */
  int toolIndex(int index) {
    return index % tools.size();
  }

  /** The median of tool {@code toolIndex}, in ms. */
  double medianMs(int toolIndex) {
    return mediansMs[toolIndex];
  }

  /** Attempts started so far, hedges included. */
  long started() {
    return started.get();
  }

  /** How long attempt {@code attempt} (from 1) of call {@code index} takes. */
  Duration latency(int index, int attempt) {
    SplittableRandom random = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L) ^ attempt);
    double ms = mediansMs[toolIndex(index)] * Math.exp(SIGMA * random.nextGaussian());
    if (random.nextDouble() < STRAGGLER_PROBABILITY) {
      ms *= STRAGGLER_FACTOR;
    }
    return Duration.ofNanos((long) (ms * 1e6));
  }

  @Override
  public Cancellable start(AttemptExecution attempt) {
    HedgeCall call = (HedgeCall) attempt.call().call().input();
    if (call == null) {
      throw new IllegalStateException("not a hedging call: " + attempt.call().callId());
    }
    started.incrementAndGet();
    return attempt.completeAfter(
        time, latency(call.index(), attempt.attempt()), "result " + call.index(), null);
  }
}
