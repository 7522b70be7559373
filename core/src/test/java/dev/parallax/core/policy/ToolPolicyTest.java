package dev.parallax.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.testing.Sim;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ToolPolicy} and the executor's {@code toolPolicy}/{@code capabilityPolicy} options: bad
 * input is rejected where it enters with a message showing it, conflicting options fail with an
 * {@link IllegalStateException}, and precedence (tool over capability over default) holds across
 * tools of one run, in virtual time.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ToolPolicyTest {

  private static SimTool tool(String name, long millis, String... capabilities) {
    return new SimTool(
        ToolSpec.builder(name)
            .description("simulated " + name)
            .idempotent(true)
            .capabilities(Set.of(capabilities))
            .build(),
        (in, attempt) -> SimTool.Step.ok(millis, name + ":" + in));
  }

  // ---- the policy object ----

  @Test
  void ofDefaults_setsNothing() {
    ToolPolicy p = ToolPolicy.ofDefaults();
    assertThat(p.isEmpty()).isTrue();
    assertThat(p.retry()).isEmpty();
    assertThat(p.attemptTimeout()).isEmpty();
    assertThat(p.maxConcurrency()).isEmpty();
    assertThat(p).isEqualTo(ToolPolicy.builder().build());
  }

  @Test
  void builder_setsAndToBuilderKeepsTheOptions() {
    RetryPolicy retry = RetryPolicy.ofDefaults();
    ToolPolicy p =
        ToolPolicy.builder()
            .retry(retry)
            .attemptTimeout(Duration.ofSeconds(2))
            .maxConcurrency(4)
            .build();
    assertThat(p.retry()).containsSame(retry);
    assertThat(p.attemptTimeout()).contains(Duration.ofSeconds(2));
    assertThat(p.maxConcurrency()).hasValue(4);
    assertThat(p.toBuilder().build()).isEqualTo(p);
    assertThat(p.toString()).contains("PT2S").contains("maxConcurrency=4");
  }

  @Test
  void badValues_areRejectedWhereTheyEnter_showingTheValue() {
    assertThatThrownBy(() -> ToolPolicy.builder().maxConcurrency(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrency must be >= 1, was 0");
    assertThatThrownBy(() -> ToolPolicy.builder().attemptTimeout(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attemptTimeout must be positive, was PT-0.005S");
    assertThatThrownBy(() -> ToolPolicy.builder().attemptTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ToolPolicy.builder().retry(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("retry");
  }

  // ---- the executor's options ----

  @Test
  void policyNames_thatCannotBeNames_areRejected() {
    assertThatThrownBy(
            () -> ToolExecutor.builder().toolPolicy("web search", ToolPolicy.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'web search' is invalid");
    assertThatThrownBy(() -> ToolExecutor.builder().capabilityPolicy("", ToolPolicy.ofDefaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capability '' is invalid");
    assertThatThrownBy(() -> ToolExecutor.builder().toolConcurrency("a/b", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a/b' is invalid");
  }

  @Test
  void secondPolicy_forTheSameToolOrCapability_isAConflict() {
    ToolExecutor.Builder b = ToolExecutor.builder().toolPolicy("search", ToolPolicy.ofDefaults());
    assertThatThrownBy(() -> b.toolPolicy("search", ToolPolicy.ofDefaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tool 'search' already has a policy");
    b.capabilityPolicy("web", ToolPolicy.ofDefaults());
    assertThatThrownBy(() -> b.capabilityPolicy("web", ToolPolicy.ofDefaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("capability 'web' already has a policy");
  }

  @Test
  void toolConcurrency_andAToolPolicyLimitForTheSameTool_isAConflict() {
    ToolExecutor.Builder b =
        ToolExecutor.builder()
            .toolConcurrency("search", 2)
            .toolPolicy("search", ToolPolicy.builder().maxConcurrency(4).build());
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tool 'search' has a limit from toolConcurrency (2)")
        .hasMessageContaining("toolPolicy (4)");
  }

  /**
   * A custom admission control (here one admitting 3 calls at once across tools) works under the
   * policies' limits, never instead of them: search keeps its limit of 1, and the tool that is not
   * concurrency-safe still runs alone. Four 100 ms calls of each of the three tools: 400 ms for
   * search and for the unsafe tool, whose calls overlap with calc's under the custom limit.
   */
  @Test
  void policyLimits_withACustomAdmissionControl_bothHold() {
    SimTool search = tool("search", 100, "web");
    SimTool calc = tool("calc", 100);
    SimTool unsafe =
        new SimTool(
            ToolSpec.builder("unsafe").concurrencySafe(false).build(),
            (in, attempt) -> SimTool.Step.ok(100, "unsafe:" + in));
    int[] running = new int[1];
    int[] peak = new int[1];
    Map<String, int[]> peakByTool = new java.util.TreeMap<>();
    Map<String, int[]> runningByTool = new java.util.HashMap<>();
    AdmissionControl threeAtOnce =
        (runId, capacityAvailable) ->
            new Admission() {
              @Override
              public boolean tryAcquire(PendingCall call) {
                if (running[0] == 3) {
                  return false;
                }
                running[0]++;
                peak[0] = Math.max(peak[0], running[0]);
                int[] r = runningByTool.computeIfAbsent(call.tool().name(), k -> new int[1]);
                r[0]++;
                int[] p = peakByTool.computeIfAbsent(call.tool().name(), k -> new int[1]);
                p[0] = Math.max(p[0], r[0]);
                return true;
              }

              @Override
              public void release(PendingCall call, AttemptSample sample) {
                running[0]--;
                runningByTool.get(sample.tool())[0]--;
              }
            };
    Sim sim =
        new Sim(
            b ->
                b.admissionControl(threeAtOnce)
                    .capabilityPolicy("web", ToolPolicy.builder().maxConcurrency(1).build()));
    List<ToolCall<?, ?>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(ToolCall.of("s" + i, search, i));
      calls.add(ToolCall.of("c" + i, calc, i));
      calls.add(ToolCall.of("u" + i, unsafe, i));
    }

    RunResult run = sim.run(ExecutionPlan.parallel(calls));

    assertThat(run.allSucceeded()).isTrue();
    assertThat(peak[0]).as("the custom admission's own limit").isEqualTo(3);
    assertThat(peakByTool.get("search")[0]).as("search's policy limit").isEqualTo(1);
    assertThat(peakByTool.get("unsafe")[0]).as("not concurrency-safe").isEqualTo(1);
    assertThat(running[0]).as("every admitted call released").isZero();
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(400));
  }

  /** A custom admission that refuses or throws gets no fixed slot stuck: the tool runs later. */
  @Test
  void customAdmissionRefusing_givesTheFixedSlotBack() {
    SimTool search = tool("search", 100);
    boolean[] refuseOnce = {true};
    AdmissionControl refusesFirst =
        (runId, capacityAvailable) ->
            new Admission() {
              @Override
              public boolean tryAcquire(PendingCall call) {
                if (call.call().id().equals("s0") && refuseOnce[0]) {
                  refuseOnce[0] = false;
                  throw new IllegalStateException("refused by a broken admission");
                }
                return true;
              }

              @Override
              public void release(PendingCall call, AttemptSample sample) {}
            };
    Sim sim = new Sim(b -> b.admissionControl(refusesFirst).toolConcurrency("search", 1));

    RunResult run =
        sim.run(
            ExecutionPlan.parallel(
                List.of(ToolCall.of("s0", search, 0), ToolCall.of("s1", search, 1))));

    assertThat(run.results().get(0).status()).isEqualTo(CallStatus.FAILED);
    assertThat(run.results().get(1).status())
        .as("s0's fixed slot was given back when the custom admission threw")
        .isEqualTo(CallStatus.SUCCEEDED);
  }

  @Test
  void knownTools_rejectAPolicyForAnUnknownToolOrCapability_namingIt() {
    ToolRegistry tools = ToolRegistry.of(tool("search", 1, "web"), tool("calc", 1));
    assertThatThrownBy(
            () ->
                ToolExecutor.builder()
                    .knownTools(tools)
                    .toolPolicy("serach", ToolPolicy.ofDefaults())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool 'serach', which is not a known tool [calc, search]");
    assertThatThrownBy(
            () -> ToolExecutor.builder().knownTools(tools).toolConcurrency("nope", 1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool 'nope'");
    assertThatThrownBy(
            () ->
                ToolExecutor.builder()
                    .knownTools(tools)
                    .capabilityPolicy("wbe", ToolPolicy.ofDefaults())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capability 'wbe', which no known tool declares [web]");
    ToolExecutor.builder()
        .knownTools(tools)
        .toolPolicy("search", ToolPolicy.ofDefaults())
        .capabilityPolicy("web", ToolPolicy.ofDefaults())
        .build()
        .close();
  }

  @Test
  void ambiguousCapabilityPolicies_areRejectedAtRunStart_namingCallToolAndOption() {
    SimTool both = tool("both", 10, "web", "news");
    Sim sim =
        new Sim(
            b ->
                b.capabilityPolicy(
                        "web", ToolPolicy.builder().attemptTimeout(Duration.ofSeconds(1)).build())
                    .capabilityPolicy(
                        "news",
                        ToolPolicy.builder().attemptTimeout(Duration.ofSeconds(2)).build()));
    assertThatThrownBy(
            () -> sim.executor.start(ExecutionPlan.parallel(List.of(ToolCall.of("c1", both, 1)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("call c1")
        .hasMessageContaining("tool 'both'")
        .hasMessageContaining("attemptTimeout differently (news=PT2S, web=PT1S)");
    assertThat(sim.events.events()).as("nothing ran").isEmpty();
    assertThat(sim.executor.activeRuns()).isZero();
  }

  @Test
  void ambiguousCapabilityPolicies_areRejectedAtBuild_whenTheToolIsKnown() {
    SimTool both = tool("both", 10, "web", "news");
    assertThatThrownBy(
            () ->
                ToolExecutor.builder()
                    .knownTools(ToolRegistry.of(both))
                    .capabilityPolicy("web", ToolPolicy.builder().maxConcurrency(1).build())
                    .capabilityPolicy("news", ToolPolicy.builder().maxConcurrency(2).build())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrency differently (news=2, web=1)");
  }

  @Test
  void capabilitiesAgreeingOrTheToolDeciding_isNotAmbiguous() {
    SimTool both = tool("both", 100, "web", "news");
    ToolPolicy oneSecond = ToolPolicy.builder().attemptTimeout(Duration.ofMillis(50)).build();
    Sim agreeing =
        new Sim(b -> b.capabilityPolicy("web", oneSecond).capabilityPolicy("news", oneSecond));
    assertThat(
            agreeing
                .run(ExecutionPlan.parallel(List.of(ToolCall.of("c", both, 1))))
                .get("c")
                .status())
        .isEqualTo(CallStatus.TIMED_OUT);
    Sim deciding =
        new Sim(
            b ->
                b.capabilityPolicy("web", oneSecond)
                    .capabilityPolicy(
                        "news", ToolPolicy.builder().attemptTimeout(Duration.ofMillis(60)).build())
                    .toolPolicy(
                        "both",
                        ToolPolicy.builder().attemptTimeout(Duration.ofMillis(200)).build()));
    assertThat(
            deciding
                .run(ExecutionPlan.parallel(List.of(ToolCall.of("c", both, 1))))
                .get("c")
                .status())
        .isEqualTo(CallStatus.SUCCEEDED);
  }

  /** A fallback tool whose capability policies disagree fails the call, naming the tool. */
  @Test
  void fallbackToAToolWithAmbiguousPolicies_failsTheCall_withThatError() {
    SimTool failing =
        new SimTool(
            SimTool.spec("failing", true),
            (in, attempt) -> SimTool.Step.fail(10, new IllegalStateException("down")));
    SimTool both = tool("both", 10, "web", "news");
    FallbackPolicy fallback =
        new FallbackPolicy() {
          @Override
          public @Nullable Swap alternativeAfterFailure(
              PendingCall call, Throwable error, List<String> tried) {
            return tried.contains("both") ? null : new Swap(both, "failing is down");
          }
        };
    Sim sim =
        new Sim(
            b ->
                b.fallback(fallback)
                    .capabilityPolicy("web", ToolPolicy.builder().maxConcurrency(1).build())
                    .capabilityPolicy("news", ToolPolicy.builder().maxConcurrency(2).build()));

    RunResult run = sim.run(ExecutionPlan.parallel(List.of(ToolCall.of("c", failing, 1))));

    assertThat(run.get("c").status()).isEqualTo(CallStatus.FAILED);
    assertThat(run.get("c").error())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("call c: tool 'both'");
    assertThat(run.get("c").error().getSuppressed()[0]).hasMessage("down");
  }

  /**
   * Precedence across the tools of one run: {@code search} has its own 50 ms timeout, {@code fetch}
   * inherits its capability's 150 ms, {@code calc} the executor's 1 s. Every tool takes 100 ms:
   * only {@code search} times out, at 50 ms.
   */
  @Test
  void precedence_toolOverCapabilityOverDefault_acrossToolsOfOneRun() {
    SimTool search = tool("search", 100, "web");
    SimTool fetch = tool("fetch", 100, "web");
    SimTool calc = tool("calc", 100);
    Sim sim =
        new Sim(
            b ->
                b.attemptTimeout(Duration.ofSeconds(1))
                    .capabilityPolicy(
                        "web", ToolPolicy.builder().attemptTimeout(Duration.ofMillis(150)).build())
                    .toolPolicy(
                        "search",
                        ToolPolicy.builder().attemptTimeout(Duration.ofMillis(50)).build()));

    RunResult run =
        sim.run(
            ExecutionPlan.parallel(
                List.of(
                    ToolCall.of("s", search, 1),
                    ToolCall.of("f", fetch, 1),
                    ToolCall.of("c", calc, 1))));

    assertThat(run.get("s").status()).isEqualTo(CallStatus.TIMED_OUT);
    assertThat(Duration.between(run.get("s").startedAt(), run.get("s").finishedAt()))
        .isEqualTo(Duration.ofMillis(50));
    assertThat(run.get("f").status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(run.get("c").status()).isEqualTo(CallStatus.SUCCEEDED);
  }

  /**
   * A capability's limit applies to each of its tools separately: two tools of {@code web} limited
   * to 1, two 100 ms calls each, finish in 200 ms (each tool one at a time, the two side by side),
   * not 400 ms (a shared pool) nor 100 ms (no limit).
   */
  @Test
  void capabilityLimit_appliesToEachOfItsToolsSeparately() {
    SimTool a = tool("a", 100, "web");
    SimTool b2 = tool("b", 100, "web");
    Sim sim =
        new Sim(b -> b.capabilityPolicy("web", ToolPolicy.builder().maxConcurrency(1).build()));

    RunResult run =
        sim.run(
            ExecutionPlan.parallel(
                List.of(
                    ToolCall.of("a1", a, 1),
                    ToolCall.of("a2", a, 2),
                    ToolCall.of("b1", b2, 1),
                    ToolCall.of("b2", b2, 2))));

    assertThat(run.allSucceeded()).isTrue();
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(200));
  }

  /** {@code toolConcurrency} is sugar: it combines with a tool policy that sets no limit. */
  @Test
  void toolConcurrency_combinesWithAToolPolicyWithoutALimit() {
    SimTool search = tool("search", 100);
    Sim sim =
        new Sim(
            b ->
                b.toolConcurrency("search", 1)
                    .toolPolicy(
                        "search",
                        ToolPolicy.builder().attemptTimeout(Duration.ofMillis(150)).build()));

    RunResult run =
        sim.run(
            ExecutionPlan.parallel(
                List.of(ToolCall.of("s1", search, 1), ToolCall.of("s2", search, 2))));

    assertThat(run.allSucceeded()).isTrue();
    assertThat(run.report().elapsed()).as("one at a time").isEqualTo(Duration.ofMillis(200));
  }

  /** A tool policy without a limit of its own overrides a capability's limit with MAX_VALUE. */
  @Test
  void toolPolicyMaxValue_liftsItsCapabilitysLimit() {
    SimTool search = tool("search", 100, "web");
    Sim sim =
        new Sim(
            b ->
                b.capabilityPolicy("web", ToolPolicy.builder().maxConcurrency(1).build())
                    .toolPolicy(
                        "search", ToolPolicy.builder().maxConcurrency(Integer.MAX_VALUE).build()));

    RunResult run =
        sim.run(
            ExecutionPlan.parallel(
                List.of(ToolCall.of("s1", search, 1), ToolCall.of("s2", search, 2))));

    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(100));
  }
}
