package dev.parallax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.adaptive.limit.AdaptiveAdmissionControl;
import dev.parallax.adaptive.limit.AdaptiveLimit;
import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.OpenRun;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.policy.ToolPolicy;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.testing.PreloadFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Seeded randomized scenarios: several features combined, with faults everywhere. Each seed builds
 * an executor with a random mix of per-tool and global limits, the adaptive limit, the Caffeine
 * cache with preloading (and the preload joined by a refused real call), hedging, retries,
 * timeouts, a fallback, and plug-ins that throw (listener, record sink, predictor, fallback policy,
 * the preload session key function); it runs one to three runs at once (parallel, sequential,
 * graph, open) whose tools succeed, throw, return null, fail once, block until interrupted or
 * ignore interruption; some scenarios cancel the runs or close the executor mid-flight. After each
 * scenario it checks: every run ends, every call has one final result whose status fits what its
 * tool did, each started call finished once in the listener's events, one record per attempt, every
 * permit of the adaptive limit back, no tool body still running, the preload counts consistent.
 *
 * <p>Reproduce a failure with {@code -Dparallax.chaos.seed=N}; run more seeds with {@code
 * -Dparallax.chaos.seeds=5000} (default 300) and {@code -Dparallax.chaos.firstSeed=...}.
 */
class ChaosScenariosTest {

  private static final long WAIT_SECONDS = 20;

  /** Held, so that its level stays set (loggers are weakly referenced). */
  private static final Logger QUIET = Logger.getLogger("dev.parallax");

  /** What a tool does for a given input; encoded in the input so that equal inputs agree. */
  enum Behaviour {
    OK,
    NULL,
    THROW,
    FLAKY, // throws on its first attempt, answers on the next
    BLOCK, // blocks until interrupted
    STUCK; // ignores interruption: returns late, once it sees it was given up

    boolean hangs() {
      return this == BLOCK || this == STUCK;
    }
  }

  /** What the tools throw. */
  static final class ToolFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ToolFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** What the throwing plug-ins throw. */
  static final class PlugInFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PlugInFailure(String message) {
      super(message, null, false, false);
    }
  }

  @Test
  void randomScenarios_keepTheirInvariants() {
    QUIET.setLevel(Level.OFF); // the plug-ins throw on purpose
    String one = System.getProperty("parallax.chaos.seed");
    long first = Long.getLong("parallax.chaos.firstSeed", 1);
    long seeds = Long.getLong("parallax.chaos.seeds", 300);
    List<Long> toRun = new ArrayList<>();
    if (one != null) {
      toRun.add(Long.parseLong(one));
    } else {
      for (long s = first; s < first + seeds; s++) {
        toRun.add(s);
      }
    }
    Map<String, Long> seen = new java.util.TreeMap<>();
    for (long seed : toRun) {
      try {
        assertTimeoutPreemptively(
            Duration.ofSeconds(3 * WAIT_SECONDS),
            () -> new Scenario(seed).runAndCheck().forEach((k, v) -> seen.merge(k, v, Long::sum)));
      } catch (Throwable e) {
        throw new AssertionError(
            "scenario seed " + seed + " failed (rerun with -Dparallax.chaos.seed=" + seed + ")", e);
      }
    }
    // what the scenarios exercised, so that a change that stops exercising a feature shows
    System.out.println("chaos: " + toRun.size() + " scenarios; " + seen);
    assertThat(seen.keySet())
        .as("the scenarios exercise every outcome and feature")
        .contains("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED", "fallback", "hedge");
  }

  /** One seeded scenario. */
  static final class Scenario {
    final long seed;
    final Random r;
    final String desc;
    final StringBuilder log = new StringBuilder();

    // tools' bodies: how many run now (tools and preloads), released at the end
    final AtomicInteger bodies = new AtomicInteger();
    final CountDownLatch unstick = new CountDownLatch(1);
    final CountDownLatch anyStarted = new CountDownLatch(1);
    final Map<String, AtomicInteger> flakyAttempts = new ConcurrentHashMap<>();
    final List<String> users = new ArrayList<>(); // of the get_user calls drawn so far
    final Map<String, Long> seen = new HashMap<>(); // what this scenario exercised

    final Tool<JsonNode, JsonNode> getUser;
    final Tool<JsonNode, String> getReservation;
    final Tool<JsonNode, String> alpha;
    final Tool<JsonNode, String> alphaAlt;
    final List<Tool<JsonNode, ?>> tools;

    // options drawn from the seed
    final boolean adaptive;
    final boolean cached;
    final boolean preloading;
    final boolean hedging;
    final @org.jspecify.annotations.Nullable Duration timeout;
    final int retries;
    final boolean fallback;
    final boolean throwingFallback;
    final boolean throwingPredictor;
    final boolean throwingListener;
    final boolean throwingSink;
    final boolean throwingSessionKey;
    final int maxConcurrency;
    final int toolLimit;
    final boolean failFast;
    final int cancelMode; // 0 none, 1 cancel the runs, 2 close the executor

    // what the engine reported
    final List<ExecutionRecord> records = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> finishedEvents = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> startedEvents = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> runFinishedEvents = new ConcurrentHashMap<>();

    Scenario(long seed) {
      this.seed = seed;
      this.r = new Random(seed);
      adaptive = r.nextInt(3) > 0;
      cached = r.nextInt(3) > 0;
      preloading = cached && r.nextInt(4) > 0;
      hedging = r.nextInt(4) == 0;
      timeout = r.nextInt(4) > 0 ? Duration.ofMillis(5 + r.nextInt(30)) : null;
      retries = 1 + r.nextInt(3);
      fallback = r.nextBoolean();
      throwingFallback = fallback && r.nextInt(3) == 0;
      throwingPredictor = r.nextInt(4) == 0;
      throwingListener = r.nextInt(3) == 0;
      throwingSink = r.nextInt(3) == 0;
      throwingSessionKey = preloading && r.nextInt(5) == 0;
      maxConcurrency = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(6);
      toolLimit = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0;
      failFast = r.nextInt(5) == 0;
      cancelMode = r.nextInt(5) == 0 ? 1 + r.nextInt(2) : 0;
      desc =
          String.format(
              "seed=%d adaptive=%s cached=%s preloading=%s hedging=%s timeout=%s retries=%d"
                  + " fallback=%s(throws=%s) throwing{predictor=%s listener=%s sink=%s"
                  + " sessionKey=%s} maxConcurrency=%d toolLimit=%d failFast=%s cancelMode=%d",
              seed,
              adaptive,
              cached,
              preloading,
              hedging,
              timeout,
              retries,
              fallback,
              throwingFallback,
              throwingPredictor,
              throwingListener,
              throwingSink,
              throwingSessionKey,
              maxConcurrency,
              toolLimit,
              failFast,
              cancelMode);
      getUser =
          Tools.named("get_user")
              .idempotent(true)
              .cacheable(true)
              .function(
                  (args, ctx) -> {
                    String user = args.get("user_id").asText();
                    return body(
                        behaviour(user.substring(0, user.indexOf('.'))),
                        "get_user " + user,
                        ctx,
                        () -> expectedUser(user));
                  });
      getReservation =
          Tools.named("get_reservation")
              .idempotent(true)
              .cacheable(true)
              .function(
                  (args, ctx) -> {
                    String id = args.get("reservation_id").asText();
                    return body(
                        behaviour(id.substring(id.indexOf('~') + 1)),
                        "get_reservation " + id,
                        ctx,
                        () -> "reservation " + id);
                  });
      alpha =
          Tools.named("alpha")
              .idempotent(true)
              .cacheable(true)
              .function(
                  (args, ctx) -> {
                    String k = args.get("k").asText();
                    return body(
                        behaviour(k.substring(0, k.indexOf('.'))),
                        "alpha " + k,
                        ctx,
                        () -> "alpha " + k);
                  });
      alphaAlt =
          Tools.named("alpha_alt")
              .idempotent(true)
              .cacheable(true)
              .function(
                  (args, ctx) ->
                      body(Behaviour.OK, "alpha_alt", ctx, () -> "alt " + args.get("k").asText()));
      tools = List.of(getUser, getReservation, alpha, alphaAlt);
    }

    static Behaviour behaviour(String name) {
      return Behaviour.valueOf(name);
    }

    static JsonNode expectedUser(String user) {
      return PreloadFixture.json(
          "{\"reservations\":[\"R-" + user + "\"],\"user\":\"" + user + "\"}");
    }

    interface Answer<T> {
      T get();
    }

    <T> T body(Behaviour b, String what, ToolContext ctx, Answer<T> answer) throws Exception {
      bodies.incrementAndGet();
      try {
        switch (b) {
          case OK:
            return answer.get();
          case NULL:
            return null;
          case THROW:
            throw new ToolFailure(what + " failed");
          case FLAKY:
            if (flakyAttempts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet()
                == 1) {
              throw new ToolFailure(what + " failed once");
            }
            return answer.get();
          case BLOCK:
            if (!unstick.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
              throw new AssertionError(what + " was never interrupted");
            }
            throw new ToolFailure(what + " released at the end of the scenario");
          case STUCK:
            // ignores interruption; notices only later that the engine gave up on it (its
            // context says cancelled), or the scenario's end
            boolean interrupted = false;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!ctx.isCancelled()) {
              try {
                if (unstick.await(1, TimeUnit.MILLISECONDS)) {
                  break;
                }
              } catch (InterruptedException e) {
                interrupted = true; // ignored, as a badly written tool does
              }
              if (System.nanoTime() > until) {
                throw new AssertionError(what + " never released");
              }
            }
            if (interrupted) {
              Thread.currentThread().interrupt();
            }
            ctx.checkCancelled(); // as a long loop does: stops late, with CancellationException
            throw new ToolFailure(what + " released at the end of the scenario");
          default:
            throw new AssertionError(b);
        }
      } finally {
        synchronized (bodies) {
          bodies.decrementAndGet();
          bodies.notifyAll();
        }
      }
    }

    Behaviour randomBehaviour(boolean hangsAllowed) {
      int n = hangsAllowed ? 6 : 4;
      int i = r.nextInt(n + 3);
      return i >= n ? Behaviour.OK : Behaviour.values()[i];
    }

    /** A call with random behaviour; calls of one run may share inputs (single flight). */
    ToolCall<JsonNode, ?> randomCall(String id, boolean hangsAllowed) {
      int kind = r.nextInt(3);
      int n = r.nextInt(4); // few distinct inputs: identical calls meet in the cache
      if (kind == 0) {
        String user = randomBehaviour(hangsAllowed) + "." + n + "~" + randomBehaviour(hangsAllowed);
        users.add(user);
        return ToolCall.of(id, getUser, PreloadFixture.json("{\"user_id\":\"" + user + "\"}"));
      }
      if (kind == 1) {
        // the reservation of a user: what a preload after get_user computes; often the
        // reservation of a user looked up before (the preload's own call)
        String user =
            !users.isEmpty() && r.nextBoolean()
                ? users.get(r.nextInt(users.size()))
                : randomBehaviour(false) + "." + n + "~" + randomBehaviour(hangsAllowed);
        return ToolCall.of(
            id, getReservation, PreloadFixture.json("{\"reservation_id\":\"R-" + user + "\"}"));
      }
      String k = randomBehaviour(hangsAllowed) + "." + n;
      return ToolCall.of(id, alpha, PreloadFixture.json("{\"k\":\"" + k + "\"}"));
    }

    static Behaviour behaviourOf(ToolCall<?, ?> call) {
      JsonNode in = (JsonNode) call.input();
      switch (call.tool().name()) {
        case "get_user":
          String u = in.get("user_id").asText();
          return behaviour(u.substring(0, u.indexOf('.')));
        case "get_reservation":
          String id = in.get("reservation_id").asText();
          return behaviour(id.substring(id.indexOf('~') + 1));
        default:
          String k = in.get("k").asText();
          return behaviour(k.substring(0, k.indexOf('.')));
      }
    }

    static Object expectedValue(String tool, ToolCall<?, ?> call) {
      JsonNode in = (JsonNode) call.input();
      switch (tool) {
        case "get_user":
          return expectedUser(in.get("user_id").asText());
        case "get_reservation":
          return "reservation " + in.get("reservation_id").asText();
        case "alpha":
          return "alpha " + in.get("k").asText();
        default:
          return "alt " + in.get("k").asText();
      }
    }

    /** Builds, runs, cancels or closes, then checks every invariant. */
    Map<String, Long> runAndCheck() throws Exception {
      AdaptiveAdmissionControl admission =
          adaptive
              ? AdaptiveAdmissionControl.builder()
                  .limits(
                      () ->
                          AdaptiveLimit.builder()
                              .initialLimit(1 + r.nextInt(3))
                              .minLimit(1)
                              .maxLimit(8)
                              .build())
                  .build()
              : null;
      CaffeineResultCache cache = null;
      if (cached) {
        var builder = CaffeineResultCache.builder();
        if (preloading) {
          var options =
              Preloading.builder().model(PreloadFixture.model()).tools(getReservation).burst(4);
          if (throwingSessionKey) {
            options.sessionKey(
                call -> {
                  if (call.callId().hashCode() % 2 == 0) {
                    throw new PlugInFailure("session key of " + call.callId());
                  }
                  return "session";
                });
          }
          builder.preloading(options.build());
          if (admission != null) {
            builder.preloadAdmission(admission);
          }
        }
        cache = builder.build();
      }
      ToolExecutor.Builder b = ToolExecutor.builder();
      if (maxConcurrency > 0) {
        b.maxConcurrency(maxConcurrency);
      }
      if (toolLimit > 0) {
        b.toolConcurrency("alpha", toolLimit);
      }
      b.retryPolicy(
          retries == 1
              ? RetryPolicy.none()
              : RetryPolicy.builder()
                  .maxAttempts(retries)
                  .initialDelay(Duration.ofMillis(1))
                  .retryOn(e -> e instanceof ToolFailure)
                  .build());
      if (timeout != null) {
        if (r.nextBoolean()) {
          b.attemptTimeout(timeout);
        } else {
          for (Tool<JsonNode, ?> t : tools) {
            b.toolPolicy(t.name(), ToolPolicy.builder().attemptTimeout(timeout).build());
          }
        }
      }
      if (hedging) {
        b.hedging(HedgePolicy.builder().fixedDelay(Duration.ofMillis(1 + r.nextInt(5))).build());
      }
      if (failFast) {
        b.failureMode(FailureMode.FAIL_FAST);
      }
      if (admission != null) {
        b.admissionControl(admission);
      }
      if (cache != null) {
        b.resultCache(cache).listener(cache.preloadListener());
      }
      if (fallback) {
        b.fallback(
            new FallbackPolicy() {
              @Override
              public @org.jspecify.annotations.Nullable Swap alternativeAfterFailure(
                  PendingCall call, Throwable error, List<String> tried) {
                if (throwingFallback && call.callId().hashCode() % 2 == 0) {
                  throw new PlugInFailure("fallback of " + call.callId());
                }
                return call.tool().name().equals("alpha") && !tried.contains("alpha_alt")
                    ? new Swap(alphaAlt, "alpha failed")
                    : null;
              }
            });
      }
      if (throwingPredictor) {
        b.predictor(
            call -> {
              throw new PlugInFailure("predictor of " + call.callId());
            });
      }
      b.listener(
          new ExecutionListener() {
            @Override
            public void onStarted(PendingCall call, int attempt) {
              startedEvents
                  .computeIfAbsent(call.runId() + "/" + call.callId(), k -> new AtomicInteger())
                  .incrementAndGet();
              anyStarted.countDown();
            }

            @Override
            public void onFinished(PendingCall call, CallResult<?> result) {
              finishedEvents
                  .computeIfAbsent(call.runId() + "/" + call.callId(), k -> new AtomicInteger())
                  .incrementAndGet();
            }

            @Override
            public void onSkipped(PendingCall call, CallResult<?> result) {
              onFinished(call, result);
            }

            @Override
            public void onRunFinished(RunResult result) {
              runFinishedEvents
                  .computeIfAbsent(result.runId(), k -> new AtomicInteger())
                  .incrementAndGet();
            }
          });
      if (throwingListener) {
        b.listener(
            new ExecutionListener() {
              @Override
              public void onStarted(PendingCall call, int attempt) {
                throw new PlugInFailure("listener onStarted " + call.callId());
              }

              @Override
              public void onFinished(PendingCall call, CallResult<?> result) {
                throw new Error("listener onFinished " + call.callId());
              }

              @Override
              public void onWaitingForCapacity(PendingCall call) {
                throw new PlugInFailure("listener onWaitingForCapacity");
              }
            });
      }
      b.recordSink(records::add);
      if (throwingSink) {
        b.recordSink(
            record -> {
              throw new PlugInFailure("sink " + record.callId());
            });
      }

      boolean hangsAllowed = timeout != null || cancelMode != 0;
      int runCount = 1 + r.nextInt(3);
      List<List<ToolCall<JsonNode, ?>>> callsOfRuns = new ArrayList<>();
      List<Map<String, List<String>>> depsOfRuns = new ArrayList<>();
      List<Integer> modes = new ArrayList<>();
      List<Boolean> continueAfterFailure = new ArrayList<>();
      for (int i = 0; i < runCount; i++) {
        int size = 1 + r.nextInt(6);
        List<ToolCall<JsonNode, ?>> calls = new ArrayList<>();
        Map<String, List<String>> deps = new HashMap<>();
        int mode = r.nextInt(4); // parallel, sequential, graph, open
        for (int c = 0; c < size; c++) {
          String id = "c" + c;
          ToolCall<JsonNode, ?> previous = c == 0 ? null : calls.get(c - 1);
          if (previous != null && previous.tool() == getUser && r.nextInt(3) > 0) {
            // an agent's next step: the reservation of the user just looked up (preloaded)
            String user = previous.input().get("user_id").asText();
            calls.add(
                ToolCall.of(
                    id,
                    getReservation,
                    PreloadFixture.json("{\"reservation_id\":\"R-" + user + "\"}")));
          } else {
            calls.add(randomCall(id, hangsAllowed));
          }
          List<String> d = new ArrayList<>();
          if (mode == 2) {
            for (int p = 0; p < c; p++) {
              if (r.nextInt(3) == 0) {
                d.add("c" + p);
              }
            }
          }
          deps.put(id, d);
        }
        callsOfRuns.add(calls);
        depsOfRuns.add(deps);
        modes.add(mode);
        continueAfterFailure.add(r.nextBoolean());
      }

      ToolExecutor executor = b.build();
      List<ToolRun> runs = new ArrayList<>();
      try {
        for (int i = 0; i < runCount; i++) {
          List<ToolCall<JsonNode, ?>> calls = callsOfRuns.get(i);
          switch (modes.get(i)) {
            case 0 -> runs.add(executor.start(ExecutionPlan.parallel(calls)));
            case 1 ->
                runs.add(
                    executor.start(
                        continueAfterFailure.get(i)
                            ? ExecutionPlan.sequential(calls).withFailureMode(FailureMode.CONTINUE)
                            : ExecutionPlan.sequential(calls)));
            case 2 -> {
              CallGraph.Builder g = CallGraph.builder();
              for (ToolCall<JsonNode, ?> c : calls) {
                g.add(c, depsOfRuns.get(i).get(c.id()));
              }
              runs.add(executor.start(ExecutionPlan.graph(g.build())));
            }
            default -> {
              OpenRun open = executor.open();
              for (ToolCall<JsonNode, ?> c : calls) {
                open.submit(c);
              }
              open.complete();
              runs.add(open);
            }
          }
        }
        if (cancelMode != 0) {
          anyStarted.await(WAIT_SECONDS, TimeUnit.SECONDS);
          if (cancelMode == 1) {
            runs.forEach(ToolRun::cancel);
          } else {
            executor.close();
          }
        }
        List<RunResult> results = new ArrayList<>();
        for (ToolRun run : runs) {
          try {
            results.add(run.result().get(WAIT_SECONDS, TimeUnit.SECONDS));
          } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("run " + run.id() + " never ended: " + desc, e);
          }
        }
        for (int i = 0; i < runCount; i++) {
          boolean runFailsFast = failFast || (modes.get(i) == 1 && !continueAfterFailure.get(i));
          checkRun(results.get(i), callsOfRuns.get(i), depsOfRuns.get(i), runFailsFast);
        }
      } finally {
        executor.close();
        if (cache != null) {
          cache.cancelPreloads();
        }
        unstick.countDown();
      }
      awaitTrue(() -> bodies.get() == 0, "every tool body returned");
      if (admission != null) {
        for (Tool<JsonNode, ?> t : tools) {
          String name = t.name();
          awaitTrue(
              () -> admission.inFlight(name) == 0,
              "the adaptive limit of " + name + " back to 0 in flight");
        }
      }
      checkEvents(runs);
      if (cache != null) {
        CaffeineResultCache c = cache;
        // a preload gives its permit back before it counts itself failed: wait for the counts
        awaitTrue(
            () -> c.preloadStats().cancelledForCapacity() <= c.preloadStats().failed(),
            "every preload cancelled for capacity counted failed: " + c.preloadStats());
        var stats = c.preloadStats();
        seen.merge("preloadStarted", stats.started(), Long::sum);
        seen.merge("preloadHits", stats.hits(), Long::sum);
        seen.merge("preloadCancelledForCapacity", stats.cancelledForCapacity(), Long::sum);
        seen.merge("preloadSkipped", stats.skippedYield() + stats.skippedBudget(), Long::sum);
        seen.merge("preloadSeamFailures", stats.seamFailures(), Long::sum);
        assertThat(stats.hits())
            .as("preload hits <= started: %s %s", stats, desc)
            .isLessThanOrEqualTo(stats.started());
        assertThat(stats.failed())
            .as("preloads failed <= started: %s %s", stats, desc)
            .isLessThanOrEqualTo(stats.started());
      }
      return seen;
    }

    void awaitTrue(BooleanSupplier condition, String what) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not true after " + WAIT_SECONDS + " s: " + what + "; " + desc);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // bounded poll, no timing claim
      }
    }

    void checkRun(
        RunResult run,
        List<ToolCall<JsonNode, ?>> calls,
        Map<String, List<String>> deps,
        boolean runFailsFast) {
      boolean someFailed =
          run.results().stream()
              .anyMatch(x -> x.status() == CallStatus.FAILED || x.status() == CallStatus.TIMED_OUT);
      assertThat(run.results()).as("one result per call: %s", desc).hasSize(calls.size());
      Map<String, CallResult<?>> byId = new HashMap<>();
      for (int i = 0; i < calls.size(); i++) {
        CallResult<?> res = run.results().get(i);
        ToolCall<JsonNode, ?> call = calls.get(i);
        assertThat(res.callId()).as("results in call order: %s", desc).isEqualTo(call.id());
        byId.put(call.id(), res);
        checkCall(run.runId(), call, res, deps.get(call.id()), byId, runFailsFast && someFailed);
      }
    }

    void checkCall(
        String runId,
        ToolCall<JsonNode, ?> call,
        CallResult<?> res,
        List<String> deps,
        Map<String, CallResult<?>> earlier,
        boolean failedFast) {
      Behaviour b = behaviourOf(call);
      seen.merge(res.status().name(), 1L, Long::sum);
      if (res.fallbackFrom() != null) {
        seen.merge("fallback", 1L, Long::sum);
      }
      if (res.cacheHit()) {
        seen.merge("cacheHit", 1L, Long::sum);
      }
      if (records.stream().anyMatch(x -> x.hedge() && x.callId().equals(call.id()))) {
        seen.merge("hedge", 1L, Long::sum);
      }
      String where = runId + "/" + call.id() + " " + call.input() + " -> " + res + "; " + desc;
      boolean swapped = res.fallbackFrom() != null;
      switch (res.status()) {
        case SUCCEEDED -> {
          assertThat(swapped || b == Behaviour.OK || b == Behaviour.NULL || b == Behaviour.FLAKY)
              .as("only a tool that answers succeeds: %s", where)
              .isTrue();
          Object expected =
              !swapped && b == Behaviour.NULL ? null : expectedValue(res.tool(), call);
          assertThat((Object) res.value())
              .as("the value its tool gave: %s", where)
              .isEqualTo(expected);
        }
        case FAILED -> {
          Throwable e = res.error();
          // no seam that can fail a call throws here (the fallback policy, the predictor, the
          // listener, the sink and the session key function are logged and ignored)
          boolean toolThrew = e instanceof ToolFailure;
          assertThat(toolThrew && (b == Behaviour.THROW || b == Behaviour.FLAKY))
              .as("fails only with what its tool threw: %s", where)
              .isTrue();
        }
        case TIMED_OUT ->
            assertThat(timeout).as("times out only when a timeout applies: %s", where).isNotNull();
        case CANCELLED ->
            assertThat(cancelMode != 0 || failedFast)
                .as("cancelled only when the run is cancelled or fails fast: %s", where)
                .isTrue();
        case SKIPPED ->
            assertThat(deps.stream().anyMatch(d -> !earlier.get(d).status().isSuccess()))
                .as("skipped only when a dependency did not succeed: %s", where)
                .isTrue();
        default -> throw new AssertionError(res.status());
      }
      if (b.hangs() && res.status() == CallStatus.SUCCEEDED) {
        assertThat(swapped).as("a hanging tool never answers: %s", where).isTrue();
      }
      // records: one per attempt (and one for a call that never started), one final
      List<ExecutionRecord> mine =
          records.stream()
              .filter(x -> !x.preload() && x.runId().equals(runId) && x.callId().equals(call.id()))
              .toList();
      assertThat(mine.stream().filter(ExecutionRecord::finalAttempt).count())
          .as("one final record: %s records %s", where, mine)
          .isEqualTo(1);
      ExecutionRecord last = mine.stream().filter(ExecutionRecord::finalAttempt).findFirst().get();
      assertThat(last.status()).as("final record's status: %s", where).isEqualTo(res.status());
      if (res.startedAt() == null) {
        assertThat(mine).as("a call never started has one record: %s", where).hasSize(1);
      } else {
        // hedges are attempts too; a call stopped between two attempts ends with a zero-duration
        // record numbered as its
        // last attempt (ExecutionRecord's contract): the attempts are the numbers, once each
        List<Integer> numbers =
            mine.stream()
                .filter(x -> !(x.finalAttempt() && x.duration().isZero() && numbered(mine, x)))
                .map(ExecutionRecord::attempt)
                .sorted()
                .toList();
        List<Integer> expected = new ArrayList<>();
        for (int a = 1; a <= res.attempts(); a++) {
          expected.add(a);
        }
        assertThat(numbers)
            .as("one record per attempt: %s records %s", where, mine)
            .isEqualTo(expected);
      }
    }

    /** Whether another record of the call has {@code x}'s attempt number. */
    static boolean numbered(List<ExecutionRecord> records, ExecutionRecord x) {
      return records.stream().anyMatch(o -> o != x && o.attempt() == x.attempt());
    }

    void checkEvents(List<ToolRun> runs) {
      for (ToolRun run : runs) {
        RunResult result = run.result().join();
        assertThat(runFinishedEvents.get(run.id()))
            .as("run %s finished once: %s", run.id(), desc)
            .hasValue(1);
        for (CallResult<?> res : result.results()) {
          String key = run.id() + "/" + res.callId();
          assertThat(finishedEvents.get(key))
              .as("call %s finished once in the events: %s", key, desc)
              .isNotNull()
              .hasValue(1);
        }
      }
      for (String key : startedEvents.keySet()) {
        assertThat(finishedEvents).as("started call %s finished: %s", key, desc).containsKey(key);
      }
    }
  }
}
