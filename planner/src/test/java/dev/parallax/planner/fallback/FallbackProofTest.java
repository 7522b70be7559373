package dev.parallax.planner.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.time.VirtualTime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The claim: a primary that fails 30% of its calls at random, with one healthy alternative,
 * still answers at least 99% of calls; without the policy, about 70%.
 */
class FallbackProofTest {

  private static final long SEED = 42;
  private static final int RUNS = 20;
  private static final int CALLS_PER_RUN = 100;

  /** Primary fails the inputs marked here: 30% of them, drawn with a fixed seed. */
  private static boolean[] failures() {
    Random random = new Random(SEED);
    boolean[] fails = new boolean[RUNS * CALLS_PER_RUN];
    for (int i = 0; i < fails.length; i++) {
      fails[i] = random.nextDouble() < 0.3;
    }
    return fails;
  }

  private static ScriptedTool primary(boolean[] fails) {
    return new ScriptedTool(
        "search_a",
        Set.of("web_search"),
        (@Nullable Object in) -> {
          int i = (Integer) in;
          return fails[i]
              ? ScriptedTool.Step.fail(40, new IOException("search_a flaked on " + i))
              : ScriptedTool.Step.ok(50, "a:" + i);
        });
  }

  /** Runs every call through the real executor in virtual time; the share that succeeded. */
  private static double successRate(
      ScriptedTool primary, UnaryOperator<ToolExecutor.Builder> options, VirtualTime time) {
    int succeeded = 0;
    try (FallbackSim sim = new FallbackSim(time, options)) {
      for (int run = 0; run < RUNS; run++) {
        List<ToolCall<?, ?>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS_PER_RUN; i++) {
          int input = run * CALLS_PER_RUN + i;
          calls.add(ToolCall.of("c" + input, primary, input));
        }
        RunResult result = sim.run(ExecutionPlan.parallel(calls));
        succeeded += (int) result.results().stream().filter(r -> r.isSuccess()).count();
      }
    }
    return succeeded / (double) (RUNS * CALLS_PER_RUN);
  }

  @Test
  void primaryFailing30PercentAtRandom_withOneHealthyAlternative_atLeast99PercentSucceed() {
    VirtualTime time = new VirtualTime();
    ScriptedTool primary = primary(failures());
    ScriptedTool alternative = ScriptedTool.healthy("search_b", 60, "web_search");
    ToolFallbacks policy =
        ToolFallbacks.builder()
            .capability("web_search", List.of(primary, alternative))
            .timeSource(time)
            .build();

    double rate = successRate(primary, policy::attachTo, time);

    System.out.printf(
        "fallback proof: %d calls, primary failing 30%% (seed %d): %.4f succeeded with"
            + " ToolFallbacks%n",
        RUNS * CALLS_PER_RUN, SEED, rate);
    assertThat(rate).isGreaterThanOrEqualTo(0.99);
    assertThat(alternative.runs()).isBetween(500, 700);
    assertThat(policy.trackedCalls()).isZero();
  }

  @Test
  void primaryFailing30PercentAtRandom_withoutThePolicy_aboutSeventyPercentSucceed() {
    VirtualTime time = new VirtualTime();

    double rate = successRate(primary(failures()), b -> b, time);

    System.out.printf(
        "fallback proof: %d calls, primary failing 30%% (seed %d): %.4f succeeded without"
            + " fallbacks%n",
        RUNS * CALLS_PER_RUN, SEED, rate);
    assertThat(rate).isLessThan(0.8).isGreaterThan(0.6);
  }
}
