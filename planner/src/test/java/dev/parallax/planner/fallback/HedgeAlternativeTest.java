package dev.parallax.planner.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.time.VirtualTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ToolFallbacks} as the source of a hedge's alternative (issue 17, hedged calls). */
@Timeout(30)
class HedgeAlternativeTest {

  private final VirtualTime time = new VirtualTime();

  private FallbackSim sim(ToolFallbacks policy) {
    return new FallbackSim(
        time,
        b ->
            policy
                .attachTo(b)
                .predictor(
                    call ->
                        new Prediction(Duration.ofMillis(50), Duration.ofMillis(100), 1.0, "test"))
                .hedging(HedgePolicy.builder().budget(1).build()));
  }

  @Test
  void slowPrimary_hedgeRunsOnTheHealthyAlternative_andAnswers() {
    ScriptedTool primary = ScriptedTool.healthy("primary", 1000);
    ScriptedTool mirror = ScriptedTool.healthy("mirror", 30);
    try (FallbackSim sim =
        sim(ToolFallbacks.builder().timeSource(time).chain(primary, mirror).build())) {
      CallResult<?> call =
          sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("c", primary, "q")))).results().get(0);

      assertThat(call.value()).isEqualTo("mirror:q");
      assertThat(call.tool()).isEqualTo("mirror");
      assertThat(call.fallbackFrom()).isEqualTo("primary");
      assertThat(call.fallbackReason()).startsWith("hedge");
      assertThat(Duration.between(call.startedAt(), call.finishedAt()))
          .isEqualTo(Duration.ofMillis(130));
      assertThat(sim.executor.hedgesWon()).isEqualTo(1);
    }
  }

  @Test
  void alternativeCircuitOpen_hedgeRunsOnTheCallsOwnTool() {
    ScriptedTool primary = ScriptedTool.healthy("primary", 1000);
    ScriptedTool mirror = ScriptedTool.healthy("mirror", 30);
    ToolFallbacks policy = ToolFallbacks.builder().timeSource(time).chain(primary, mirror).build();
    policy.forceOpen("mirror");
    try (FallbackSim sim = sim(policy)) {
      CallResult<?> call =
          sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("c", primary, "q")))).results().get(0);

      assertThat(call.tool()).isEqualTo("primary");
      assertThat(mirror.runs()).isZero();
      assertThat(primary.runs()).isEqualTo(2); // the first attempt and its hedge
      assertThat(sim.executor.hedgesStarted()).isEqualTo(1);
    }
  }
}
