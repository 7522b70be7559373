package dev.parallax.core.exec;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.internal.EngineSettings;
import dev.parallax.core.internal.HedgeBudget;
import dev.parallax.core.internal.PolicyNames;
import dev.parallax.core.internal.RecordSinks;
import dev.parallax.core.internal.Run;
import dev.parallax.core.internal.ToolPolicies;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.policy.ToolPolicy;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.spi.RunScheduler;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.core.time.SystemTimeSource;
import dev.parallax.core.time.TimeSource;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.trace.ExceptionRecording;
import dev.parallax.core.trace.ToolSpanAttributes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Runs tool calls: in parallel, one after another, as a graph of dependencies, or as a batch of one
 * tool over many inputs; blocking ({@code execute...}) or with a {@link CompletableFuture} ({@code
 * execute...Async}), or as a {@link ToolRun} that can be cancelled ({@link #start}), or as an
 * {@link OpenRun} that accepts calls while it runs ({@link #open()}).
 *
 * <pre>{@code
 * try (ToolExecutor executor = ToolExecutor.builder()
 *     .maxConcurrency(8)
 *     .attemptTimeout(Duration.ofSeconds(30))
 *     .retryPolicy(RetryPolicy.ofDefaults())
 *     .build()) {
 *   RunResult run = executor.executeParallel(List.of(
 *       ToolCall.of("call-1", search, "jvm schedulers"),
 *       ToolCall.of("call-2", weather, "Lisbon")));
 *   run.results().forEach(r -> System.out.println(r.callId() + " " + r.status()));
 * }
 * }</pre>
 *
 * <p>Every plan is validated before any tool runs. Results always come back in call order, each
 * final, with a {@link dev.parallax.core.call.RunReport}. No checked exception escapes: what a tool
 * throws is in its result. Thread-safe; any number of runs may be in progress at once. Close the
 * executor to cancel the runs in progress and stop its timer thread.
 */
public final class ToolExecutor implements AutoCloseable {

  static {
    EngineSettings.warmFailurePaths();
  }

  private final EngineSettings settings;
  private final @Nullable SystemTimeSource ownedTime;
  private final Map<String, Run> active = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ToolExecutor(EngineSettings settings, @Nullable SystemTimeSource ownedTime) {
    this.settings = settings;
    this.ownedTime = ownedTime;
  }

  /** Starts a builder with the defaults listed on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a run and returns at once.
   *
   * @throws IllegalStateException if the executor is closed
   */
  public ToolRun start(ExecutionPlan plan) {
    Objects.requireNonNull(plan, "plan");
    if (closed) {
      throw new IllegalStateException("the executor is closed");
    }
    String id = newRunId();
    Run run = new Run(id, settings, plan, () -> active.remove(id));
    active.put(id, run);
    run.start(Context.current());
    return run;
  }

  /**
   * Opens a run that accepts calls until {@link OpenRun#complete()}; see {@link OpenRun}. The run
   * has the executor's defaults (concurrency, deadline counted from now, failure mode); use {@link
   * #open(ExecutionPlan)} with an empty {@link ExecutionPlan#parallel} plan to override them.
   *
   * @throws IllegalStateException if the executor is closed
   */
  public OpenRun open() {
    return open(ExecutionPlan.parallel(List.of()));
  }

  /**
   * Opens a run that starts the plan's calls at once and accepts more until {@link
   * OpenRun#complete()}; the plan's overrides (concurrency, deadline, failure mode) apply to the
   * whole run. See {@link OpenRun}.
   *
   * @throws IllegalArgumentException if the plan is sequential or a graph: an open run's calls are
   *     independent
   * @throws IllegalStateException if the executor is closed
   */
  public OpenRun open(ExecutionPlan plan) {
    Objects.requireNonNull(plan, "plan");
    if (closed) {
      throw new IllegalStateException("the executor is closed");
    }
    String id = newRunId();
    Run run = new Run(id, settings, plan, () -> active.remove(id), true);
    active.put(id, run);
    run.start(Context.current());
    return run;
  }

  /**
   * Runs a plan and waits for it. If the waiting thread is interrupted, the run is cancelled, the
   * thread's interrupt flag is set again, and the (cancelled) results are returned.
   *
   * @throws VirtualMachineError if the JVM failed while the run was under way (out of memory): the
   *     run was ended at once and the error is rethrown rather than waited out
   */
  public RunResult execute(ExecutionPlan plan) {
    ToolRun run = start(plan);
    CompletableFuture<RunResult> result = run.result();
    // Short runs often end within microseconds: yielding a few times first lets the tools' threads
    // finish on this core instead of paying for parking and waking this thread.
    for (int i = 0; i < 64 && !result.isDone(); i++) {
      Thread.yield();
    }
    try {
      return result.get();
    } catch (InterruptedException e) {
      run.cancel();
      Thread.currentThread().interrupt();
      return awaitEnded(run);
    } catch (ExecutionException e) {
      throw failed(run, e.getCause());
    }
  }

  private static RunResult awaitEnded(ToolRun run) {
    try {
      return run.result().join();
    } catch (CompletionException e) {
      throw failed(run, e.getCause());
    }
  }

  private static RuntimeException failed(ToolRun run, @Nullable Throwable cause) {
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("run " + run.id() + " failed unexpectedly", cause);
  }

  /**
   * Runs a plan asynchronously. Cancelling the returned future cancels the run (the future then
   * holds no results; use {@link #start} to cancel and still read them). The future completes
   * exceptionally only if the run could not end normally (the JVM ran out of memory).
   */
  public CompletableFuture<RunResult> executeAsync(ExecutionPlan plan) {
    ToolRun run = start(plan);
    CompletableFuture<RunResult> view = new CompletableFuture<>();
    run.result()
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                view.completeExceptionally(e);
              } else {
                view.complete(r);
              }
            });
    view.whenComplete(
        (r, e) -> {
          if (view.isCancelled()) {
            run.cancel();
          }
        });
    return view;
  }

  /** Runs independent calls in parallel and waits; see {@link ExecutionPlan#parallel}. */
  public RunResult executeParallel(List<? extends ToolCall<?, ?>> calls) {
    return execute(ExecutionPlan.parallel(calls));
  }

  /** Runs independent calls in parallel; see {@link ExecutionPlan#parallel}. */
  public CompletableFuture<RunResult> executeParallelAsync(List<? extends ToolCall<?, ?>> calls) {
    return executeAsync(ExecutionPlan.parallel(calls));
  }

  /** Runs calls one after another and waits; see {@link ExecutionPlan#sequential}. */
  public RunResult executeSequential(List<? extends ToolCall<?, ?>> calls) {
    return execute(ExecutionPlan.sequential(calls));
  }

  /** Runs calls one after another; see {@link ExecutionPlan#sequential}. */
  public CompletableFuture<RunResult> executeSequentialAsync(List<? extends ToolCall<?, ?>> calls) {
    return executeAsync(ExecutionPlan.sequential(calls));
  }

  /** Runs a graph of calls and waits; see {@link CallGraph}. */
  public RunResult executeGraph(CallGraph graph) {
    return execute(ExecutionPlan.graph(graph));
  }

  /** Runs a graph of calls; see {@link CallGraph}. */
  public CompletableFuture<RunResult> executeGraphAsync(CallGraph graph) {
    return executeAsync(ExecutionPlan.graph(graph));
  }

  /** Runs one tool over many inputs and waits; see {@link ExecutionPlan#batch}. */
  public <I> RunResult executeBatch(Tool<I, ?> tool, List<? extends I> inputs) {
    return execute(ExecutionPlan.batch(tool, inputs));
  }

  /** Runs one tool over many inputs; see {@link ExecutionPlan#batch}. */
  public <I> CompletableFuture<RunResult> executeBatchAsync(
      Tool<I, ?> tool, List<? extends I> inputs) {
    return executeAsync(ExecutionPlan.batch(tool, inputs));
  }

  /** How many calls of a {@linkplain Builder#recordSink record sink} threw (and were ignored). */
  public long recordSinkFailures() {
    return settings.records().failures();
  }

  /**
   * The executor's {@linkplain Builder#recordSink record sinks} as one sink: it hands a record to
   * each of them, in the order added, each in isolation, as the executor does with its own records
   * (what a sink throws is logged, counted in {@link #recordSinkFailures()} and ignored; this sink
   * never throws). For records of work done beside the executor that belong where its records go,
   * such as a result cache's speculative preloads. Does nothing when no sink was added.
   * Thread-safe.
   */
  public ExecutionRecordSink recordSinks() {
    RecordSinks sinks = settings.records();
    return sinks::emit;
  }

  /**
   * Hedges started so far by this executor's runs ({@link Builder#hedging}); 0 when calls are not
   * hedged.
   */
  public long hedgesStarted() {
    HedgeBudget hedging = settings.hedging();
    return hedging == null ? 0 : hedging.hedges();
  }

  /** Hedges that answered their call before the call's first attempt did; 0 without hedging. */
  public long hedgesWon() {
    HedgeBudget hedging = settings.hedging();
    return hedging == null ? 0 : hedging.hedgesWon();
  }

  /** Number of runs in progress. */
  public int activeRuns() {
    return active.size();
  }

  /**
   * Cancels the runs in progress and stops the timer thread this executor started (a {@link
   * TimeSource} given to the builder is left alone). Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    for (Run run : List.copyOf(active.values())) {
      run.cancel();
    }
    if (ownedTime != null) {
      ownedTime.close();
    }
  }

  private static String newRunId() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }

  /**
   * Configures a {@link ToolExecutor}. Not thread-safe. Every setter validates its value and names
   * it in the exception.
   */
  public static final class Builder {
    private int maxConcurrency = 64;
    private final Map<String, Integer> toolLimits = new HashMap<>();
    private final Map<String, ToolPolicy> toolPolicies = new HashMap<>();
    private final Map<String, ToolPolicy> capabilityPolicies = new HashMap<>();
    private @Nullable ToolRegistry knownTools;
    private RetryPolicy retryPolicy = RetryPolicy.none();
    private HedgePolicy hedging = HedgePolicy.none();
    private @Nullable Duration attemptTimeout;
    private @Nullable Duration runDeadline;
    private FailureMode failureMode = FailureMode.CONTINUE;
    private final List<ExecutionListener> listeners = new ArrayList<>();
    private final List<ExecutionRecordSink> recordSinks = new ArrayList<>();
    private @Nullable OpenTelemetry openTelemetry;
    private boolean recordPayloads;
    private ExceptionRecording exceptionRecording = ExceptionRecording.ofDefaults();
    private @Nullable TimeSource timeSource;
    private RandomGenerator random = new Random();
    private SchedulingPolicy scheduling = SchedulingPolicy.fifo();
    private @Nullable AdmissionControl admission;
    private CallRunner runner = CallRunner.virtualThreads();
    private ResultCache cache = ResultCache.NONE;
    private FallbackPolicy fallback = FallbackPolicy.NONE;
    private Predictor predictor = Predictor.NONE;
    private RunScheduler runScheduler = RunScheduler.NONE;
    private final Set<String> seamsSet = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Most calls of one run running at once (default 64).
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("maxConcurrency must be >= 1, was " + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /**
     * Most calls of one tool running at once within a run (default: no limit of its own); a later
     * call for the same tool replaces the limit. Short for a {@link #toolPolicy} with only {@link
     * ToolPolicy.Builder#maxConcurrency}, and combinable with a tool policy that sets no limit. A
     * custom {@link #admissionControl} works under this limit.
     *
     * @throws IllegalArgumentException if below 1, or if the name cannot be a tool's
     */
    public Builder toolConcurrency(String toolName, int limit) {
      Objects.requireNonNull(toolName, "toolName");
      PolicyNames.requireValid("toolConcurrency: tool name", toolName);
      if (limit < 1) {
        throw new IllegalArgumentException(
            "concurrency limit of tool '" + toolName + "' must be >= 1, was " + limit);
      }
      toolLimits.put(toolName, limit);
      return this;
    }

    /**
     * How the calls of one tool run: retry policy, attempt timeout, concurrency limit within a run.
     * Options it sets override those of the tool's {@linkplain #capabilityPolicy capabilities},
     * which override the executor's defaults; see {@link ToolPolicy}. Tool names are checked
     * against {@link #knownTools} when given; otherwise a policy for a tool that never runs has no
     * effect.
     *
     * @throws IllegalArgumentException if the name cannot be a tool's
     * @throws IllegalStateException if the tool already has a policy
     */
    public Builder toolPolicy(String toolName, ToolPolicy policy) {
      Objects.requireNonNull(toolName, "toolName");
      Objects.requireNonNull(policy, "policy");
      PolicyNames.requireValid("toolPolicy: tool name", toolName);
      ToolPolicy before = toolPolicies.putIfAbsent(toolName, policy);
      if (before != null) {
        throw new IllegalStateException(
            "tool '" + toolName + "' already has a policy: " + before + "; give one per tool");
      }
      return this;
    }

    /**
     * How the calls of every tool declaring a {@linkplain
     * dev.parallax.core.tool.ToolSpec#capabilities() capability} run, unless the tool's own {@link
     * #toolPolicy} sets the option; see {@link ToolPolicy}. A concurrency limit applies to each
     * such tool separately. A run is rejected with an {@link IllegalArgumentException} if one of
     * its tools has two capabilities whose policies set an option to different values and no tool
     * policy of its own decides it.
     *
     * @throws IllegalArgumentException if the name cannot be a capability's
     * @throws IllegalStateException if the capability already has a policy
     */
    public Builder capabilityPolicy(String capability, ToolPolicy policy) {
      Objects.requireNonNull(capability, "capability");
      Objects.requireNonNull(policy, "policy");
      PolicyNames.requireValid("capabilityPolicy: capability", capability);
      ToolPolicy before = capabilityPolicies.putIfAbsent(capability, policy);
      if (before != null) {
        throw new IllegalStateException(
            "capability '"
                + capability
                + "' already has a policy: "
                + before
                + "; give one per capability");
      }
      return this;
    }

    /**
     * The tools this executor is meant to run (default: not known). When given, {@link #build()}
     * checks the policies against them: every tool named by {@link #toolPolicy} or {@link
     * #toolConcurrency} must be one of them, every capability named by {@link #capabilityPolicy}
     * must be declared by one of them, and no tool may have ambiguous capability policies. Runs may
     * still use other tools.
     */
    public Builder knownTools(ToolRegistry tools) {
      this.knownTools = Objects.requireNonNull(tools, "tools");
      return this;
    }

    /**
     * When failed attempts are retried (default {@link RetryPolicy#none()}); a {@link #toolPolicy}
     * or {@link #capabilityPolicy} may set another for some tools.
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * When a slow attempt of an idempotent tool gets a second, concurrent attempt (default {@link
     * HedgePolicy#none()}: never). With {@link HedgePolicy#ofDefaults()} a call is hedged once its
     * first attempt runs past its predicted upper latency (so a {@link #predictor} is needed),
     * within a budget of 10% extra calls; see {@link HedgePolicy} for the rules and how hedges meet
     * retries, timeouts, the cache and fallbacks.
     */
    public Builder hedging(HedgePolicy hedging) {
      this.hedging = Objects.requireNonNull(hedging, "hedging");
      seamsSet.add("hedging");
      return this;
    }

    /**
     * Time limit of each attempt (default none). An attempt that exceeds it is interrupted and ends
     * {@code TIMED_OUT} (or is retried, if the retry policy says so) on time, whether or not the
     * tool reacts to the interrupt. A tool that ignores it keeps its concurrency slot — of the
     * run's {@link #maxConcurrency}, of its {@link #toolConcurrency} limit, of a tool that is not
     * {@link dev.parallax.core.tool.ToolSpec#concurrencySafe() concurrency-safe}, of a custom
     * {@link #admissionControl} — until its body really returns: a limit protects what the tool
     * calls, which is still busy. {@code Duration.ofSeconds(Long.MAX_VALUE)} means no limit. A
     * {@link #toolPolicy} or {@link #capabilityPolicy} may set another for some tools.
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = positive("attemptTimeout", timeout);
      return this;
    }

    /**
     * Time limit of a whole run (default none); a plan may set its own. When it passes, running
     * calls end {@code TIMED_OUT} and calls not started end {@code CANCELLED}. {@code
     * Duration.ofSeconds(Long.MAX_VALUE)} means no limit.
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder runDeadline(Duration deadline) {
      this.runDeadline = positive("runDeadline", deadline);
      return this;
    }

    /** What a run does when a call fails (default {@link FailureMode#CONTINUE}). */
    public Builder failureMode(FailureMode failureMode) {
      this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
      return this;
    }

    /** Adds a listener of lifecycle events. */
    public Builder listener(ExecutionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Adds a sink of {@link dev.parallax.core.record.ExecutionRecord}s (default none): one record
     * per attempt of every call, and one for every call that never started; see {@link
     * ExecutionRecordSink}. Several sinks may be added; each gets every record, in the order added.
     * Records are built only when at least one sink is registered, and need no OpenTelemetry SDK.
     * What a sink throws is logged, counted ({@link ToolExecutor#recordSinkFailures()}) and
     * ignored.
     */
    public Builder recordSink(ExecutionRecordSink sink) {
      recordSinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /**
     * Traces runs and calls with this OpenTelemetry (default: no spans). {@code
     * GlobalOpenTelemetry} is never used implicitly.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      seamsSet.add("openTelemetry");
      return this;
    }

    /** Puts tool arguments and results on spans (default {@code false}: they may hold secrets). */
    public Builder recordPayloadsOnSpans(boolean record) {
      this.recordPayloads = record;
      return this;
    }

    /**
     * What of a failed call's exception goes onto its span (default {@link
     * ExceptionRecording#ofDefaults()}: the type and a bounded message, no stack trace — messages
     * and stack traces may hold secrets). {@link ExceptionRecording#full()} records everything.
     */
    public Builder exceptionRecording(ExceptionRecording exceptionRecording) {
      this.exceptionRecording = Objects.requireNonNull(exceptionRecording, "exceptionRecording");
      return this;
    }

    /**
     * The clock and timer (default: real time with one daemon timer thread owned by the executor).
     * Give a {@link dev.parallax.core.time.VirtualTime} to test in virtual time.
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /** Source of retry jitter; must be thread-safe (default {@code new Random()}). */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Which ready call runs next (default {@link SchedulingPolicy#fifo()}). */
    public Builder scheduling(SchedulingPolicy scheduling) {
      this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
      seamsSet.add("scheduling");
      return this;
    }

    /**
     * Which calls may start, beyond {@link #maxConcurrency}: e.g. adaptive concurrency or a rate
     * limit. It works under the fixed limits ({@link #toolConcurrency}, the policies' {@link
     * ToolPolicy.Builder#maxConcurrency}, one at a time for tools that are not concurrency-safe),
     * never instead of them: a call starts when both admit it.
     */
    public Builder admissionControl(AdmissionControl admission) {
      this.admission = Objects.requireNonNull(admission, "admission");
      seamsSet.add("admissionControl");
      return this;
    }

    /** Where attempts run (default {@link CallRunner#virtualThreads()}). */
    public Builder runner(CallRunner runner) {
      this.runner = Objects.requireNonNull(runner, "runner");
      seamsSet.add("runner");
      return this;
    }

    /** Reuse of results (default {@link ResultCache#NONE}). */
    public Builder resultCache(ResultCache cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      seamsSet.add("resultCache");
      return this;
    }

    /** What runs instead of failing tools (default {@link FallbackPolicy#NONE}). */
    public Builder fallback(FallbackPolicy fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      seamsSet.add("fallback");
      return this;
    }

    /** Predictions of latency and success (default {@link Predictor#NONE}). */
    public Builder predictor(Predictor predictor) {
      this.predictor = Objects.requireNonNull(predictor, "predictor");
      seamsSet.add("predictor");
      return this;
    }

    /**
     * Which runs' calls go first when this executor's runs share capacity (default {@link
     * RunScheduler#NONE}: nothing is shared, each run has only its own limits). A shared scheduler
     * — the planner's {@code SharedScheduler}: run priorities, named {@linkplain
     * dev.parallax.core.tool.ToolSpec#resources() resources}, lanes — is asked after a run's own
     * limits ({@link #maxConcurrency}, {@link #toolConcurrency}, tool policies) and before a custom
     * {@link #admissionControl}, and released when an attempt's body returns (a timed-out body that
     * ignores its interrupt keeps its share until then). A run's priority is {@link
     * ExecutionPlan#withPriority}.
     */
    public Builder runScheduler(RunScheduler runScheduler) {
      this.runScheduler = Objects.requireNonNull(runScheduler, "runScheduler");
      seamsSet.add("runScheduler");
      return this;
    }

    /**
     * The seams set on this builder so far, by the name of their method: {@code openTelemetry},
     * {@code scheduling}, {@code admissionControl}, {@code runner}, {@code resultCache}, {@code
     * fallback}, {@code predictor}, {@code runScheduler}, {@code hedging}. For code that wires an
     * executor for its users (a facade, a framework's auto-configuration) and must refuse a user's
     * choice rather than silently replace it.
     *
     * @return an unmodifiable snapshot, in the order first set
     */
    public Set<String> seamsSet() {
      return Collections.unmodifiableSet(new LinkedHashSet<>(seamsSet));
    }

    /**
     * Builds the executor.
     *
     * @throws IllegalStateException if {@code toolConcurrency} and a {@code toolPolicy} both set
     *     the limit of one tool
     * @throws IllegalArgumentException if {@link #knownTools} were given and a policy names a tool
     *     or capability they do not have, or a known tool's capability policies are ambiguous
     */
    public ToolExecutor build() {
      ToolPolicies policies = policies();
      if (knownTools != null) {
        PolicyNames.check(policies, knownTools);
      }
      SystemTimeSource owned = timeSource == null ? new SystemTimeSource() : null;
      EngineSettings settings =
          new EngineSettings(
              timeSource != null ? timeSource : owned,
              runner,
              scheduling,
              admission != null
                  ? policies.admissionControl(admission)
                  : policies.admissionControl(),
              cache,
              fallback,
              predictor,
              withFeedback(listeners, fallback),
              openTelemetry == null
                  ? null
                  : openTelemetry.getTracer(ToolSpanAttributes.INSTRUMENTATION_SCOPE),
              recordPayloads,
              policies,
              runDeadline,
              failureMode,
              maxConcurrency,
              random,
              exceptionRecording,
              recordSinks.isEmpty() ? RecordSinks.NONE : new RecordSinks(recordSinks),
              runScheduler,
              admission,
              hedging.enabled() ? new HedgeBudget(hedging) : null);
      return new ToolExecutor(settings, owned);
    }

    /** The listeners, then the fallback policy's {@link FallbackPolicy#feedback() feedback}. */
    private static List<ExecutionListener> withFeedback(
        List<ExecutionListener> listeners, FallbackPolicy fallback) {
      ExecutionListener feedback = fallback.feedback();
      if (feedback == null) {
        return List.copyOf(listeners);
      }
      List<ExecutionListener> all = new ArrayList<>(listeners);
      all.add(feedback);
      return List.copyOf(all);
    }

    /** Tool policies with the {@code toolConcurrency} limits merged in. */
    private ToolPolicies policies() {
      Map<String, ToolPolicy> tools = new HashMap<>(toolPolicies);
      toolLimits.forEach(
          (tool, limit) -> {
            ToolPolicy own = tools.get(tool);
            if (own != null && own.maxConcurrency().isPresent()) {
              throw new IllegalStateException(
                  "tool '"
                      + tool
                      + "' has a limit from toolConcurrency ("
                      + limit
                      + ") and from its toolPolicy ("
                      + own.maxConcurrency().getAsInt()
                      + "); set it once");
            }
            ToolPolicy.Builder merged = own == null ? ToolPolicy.builder() : own.toBuilder();
            tools.put(tool, merged.maxConcurrency(limit).build());
          });
      return ToolPolicies.of(retryPolicy, attemptTimeout, tools, capabilityPolicies);
    }

    private static Duration positive(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }
  }
}
