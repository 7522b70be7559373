package dev.parallax.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.planner.sim.SimulatedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ToolStatsTest {

  @Test
  void stats_perTool_nearestRankPercentiles_andSuccessRate() {
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      calls.add(
          new SimulatedCall(
              "s" + i, "search", Map.of(), List.of(), Duration.ofSeconds(i), i % 4 != 0));
    }
    calls.add(SimulatedCall.of("f", "fetch", Duration.ofMillis(250)));
    List<ToolStats> stats = ToolStats.of(calls);
    assertThat(stats).extracting(ToolStats::tool).containsExactly("fetch", "search");
    ToolStats search = stats.get(1);
    assertThat(search.count()).isEqualTo(20);
    assertThat(search.meanSeconds()).isEqualTo(10.5);
    assertThat(search.p50Seconds()).isEqualTo(10);
    assertThat(search.p95Seconds()).isEqualTo(19);
    assertThat(search.maxSeconds()).isEqualTo(20);
    assertThat(search.successRate()).isEqualTo(0.75);
    ToolStats fetch = stats.get(0);
    assertThat(fetch.p50Seconds()).isEqualTo(0.25);
    assertThat(fetch.p95Seconds()).isEqualTo(0.25);
    assertThat(fetch.successRate()).isEqualTo(1);
  }
}
