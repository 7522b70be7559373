package dev.parallax.samples.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.samples.cli.ParallaxCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parallax bench --quick -w cluster}: members in separate JVMs. Checks the JSON names the
 * issue fixes and the invariants that hold whatever the machine's speed (the limit held, no call
 * lost, no non-idempotent call run twice, no process left behind), never the speed ratio.
 */
class ClusterBenchTest {

  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void quickClusterWorkload_writesTheIssueNames_holdsTheLimit_losesNothing_leavesNoProcess()
      throws Exception {
    Path json = dir.resolve("cluster.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        ParallaxCli.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "bench",
            "--quick",
            "--no-progress",
            "-w",
            "cluster",
            "--json",
            json.toString());
    assertThat(status).as(err.toString()).isZero();

    JsonNode w = new ObjectMapper().readTree(json.toFile()).path("workloads").path("cluster");
    assertThat(names(w.path("throughput_per_s"))).containsExactly("1", "2", "3");
    for (String size : List.of("1", "2", "3")) {
      assertThat(w.path("throughput_per_s").path(size).asDouble()).as(size).isPositive();
    }
    assertThat(names(w.path("throughput_per_s_whole_batch"))).containsExactly("1", "2", "3");
    for (String size : List.of("1", "2", "3")) {
      assertThat(w.path("throughput_per_s_whole_batch").path(size).asDouble())
          .as(size)
          .isPositive();
    }
    assertThat(w.path("throughput_measured_as").asText()).contains("steady window");
    int limit = w.path("global_limit").asInt();
    assertThat(limit).isPositive();
    assertThat(w.path("max_in_flight_observed").asInt()).isBetween(1, limit);

    JsonNode kill = w.path("member_kill");
    assertThat(names(kill))
        .contains("calls", "completed", "lost", "duplicated_non_idempotent", "failed_member_lost");
    int calls = kill.path("calls").asInt();
    assertThat(calls).isPositive();
    assertThat(kill.path("lost").asInt()).as(kill.toString()).isZero();
    assertThat(kill.path("duplicated_non_idempotent").asInt()).as(kill.toString()).isZero();
    assertThat(kill.path("completed").asInt() + kill.path("failed_member_lost").asInt())
        .isEqualTo(calls);

    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count())
        .as("no member process left behind")
        .isZero();
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
