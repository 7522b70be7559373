package dev.parallax.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.samples.cli.ParallaxCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void demo_runsTheSixSeedScenarios_andPrintsWhatHappened() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int status = ParallaxCli.run(new PrintWriter(out), new PrintWriter(err), "demo");

    assertThat(status).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString())
        .contains("Demo 1: Basic parallel execution")
        .contains("Demo 2: Sequential vs parallel")
        .contains("Speedup:")
        .contains("Concurrency  2: 10 tools")
        .contains("Demo 4: Error handling")
        .contains("SUCCEEDED=2")
        .contains("FAILED=2")
        .contains("SUCCEEDED after 3 attempts")
        .contains("[call2] TIMED_OUT")
        .contains("Demo 7: Graph scheduling on the critical path")
        .contains("critical path, after one run")
        .contains("lower bound at 2 slots                 445.0 ms")
        .contains("20 identical calls at once")
        .contains("19 cache hits, 1 request(s) reached the server")
        .contains("20 cache hits, 1 request(s) reached the server")
        .contains("without fallback:")
        .contains("with fallback:    50 of 50 succeeded")
        .contains("answered by search_mirror instead of search_primary because")
        .contains("round 6: prediction error")
        .contains("records in history")
        .contains("=== Demo complete ===");
  }

  @Test
  void historyAndChromaBothGiven_isOneLineOnStderr_exit2() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        ParallaxCli.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "demo",
            "--history",
            "/tmp/parallax-never-created",
            "--chroma-url",
            "http://127.0.0.1:9");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("parallax demo: --history and --chroma-url both given: choose one\n");
  }

  @Test
  void unreachableChroma_isOneLineOnStderr_exit2_beforeAnythingRuns() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        ParallaxCli.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "demo",
            "--chroma-url",
            "http://127.0.0.1:9");
    assertThat(status).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("parallax demo: ").doesNotContain("\tat ");
    assertThat(err.toString().lines()).hasSize(1);
  }

  @Test
  void unknownCommand_failsWithUsageOnStderr() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = ParallaxCli.run(new PrintWriter(out), new PrintWriter(err), "frobnicate");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("Unmatched argument").contains("frobnicate");
  }

  @Test
  void help_isAvailableOnEveryCommand() {
    StringWriter out = new StringWriter();
    assertThat(
            ParallaxCli.run(
                new PrintWriter(out), new PrintWriter(new StringWriter()), "demo", "--help"))
        .isZero();
    assertThat(out.toString()).contains("Usage: parallax demo");
  }
}
