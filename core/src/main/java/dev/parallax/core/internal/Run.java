package dev.parallax.core.internal;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunReport;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.SeamFailureException.Seam;
import dev.parallax.core.call.SkippedException;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.OpenRun;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample.Outcome;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.tool.InvalidArgumentsException;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.trace.ToolSpanAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One run of a plan: an event-driven state machine over its calls.
 *
 * <p>There is no coordinator thread and no lock. Every event (start, an attempt's end, a timeout, a
 * retry falling due, the run deadline, cancellation, capacity freed elsewhere) goes through a
 * {@link SerialInbox}, which runs the events one at a time on whichever thread is at hand. An event
 * updates the calls' states, then {@link #dispatch starts} as many ready calls as the limits allow:
 * the scheduling seam picks the next ready call, the run's {@code maxConcurrency} and the admission
 * seam decide whether it may start. Listener events and span ends happen inside events, so they are
 * ordered and complete before the run's result is published.
 *
 * <p>A call's life: PENDING (dependencies outstanding) → READY → RUNNING → (WAITING_RETRY → READY →
 * RUNNING)* → DONE, with REFUSED while admission says no. An attempt that times out or is cancelled
 * is given up at once: its thread is interrupted and the call's result does not wait for it, so a
 * tool that ignores interruption cannot hold the run past its deadline. Its <em>slot</em> is
 * another matter: a limit protects whatever the tool calls, so a given-up attempt keeps counting
 * against the run's {@code maxConcurrency} and the admission seam until its body really returns
 * (the runner reports that end; the outcome is then dropped). The admission is closed only when the
 * last such body has returned, which may be after the run's result was published.
 *
 * <p>Nothing the engine calls on a call's behalf can leave a run unfinished. Listeners, spans, the
 * predictor and the fallback policy only advise: what they throw is logged and ignored. The retry
 * policy, the scheduling queue, the admission seam, the runner and a derived call's input function
 * decide: what they throw fails the calls it affects with a {@link SeamFailureException} naming the
 * seam. Anything else escaping an event (a broken time source, a bug) fails every unfinished call
 * the same way. A {@link VirtualMachineError} in an event, or an {@link OutOfMemoryError} from any
 * attempt, completes the run's result exceptionally at once and lets go of the run's calls, so that
 * {@code execute} rethrows it rather than grinding on against a full heap.
 *
 * <p>Times are kept as {@link dev.parallax.core.time.TimeSource#nanoTime()} readings and turned
 * into instants relative to the run's start only when a result is made.
 *
 * <p>Internal; may change at any time.
 */
public final class Run implements OpenRun, SerialInbox.Effects {

  private static final Logger LOG = Logger.getLogger(Run.class.getName());

  /** Attempts an event launches before it starts them, rather than after the event ends. */
  private static final int START_BATCH = 64;

  /*
   * Whether a long dispatch starts attempts as it goes (START_BATCH). Only when ending a call is
   * cheap (no spans, no records): the attempts' ends wait while this thread holds the inbox, so
   * with tracing, whose span ends and records make the ends the costly part, it is faster to start
   * every attempt after the event, outside the inbox, while another thread handles the ends
   * (measured with OverheadBenchmark at N = 10,000: 1.8x -> 1.5x without telemetry, but 2.4-2.8x
   * -> 2.9-3.3x with it).
   */
  private final boolean startsEarly;

  private final String id;
  private final EngineSettings settings;
  private final ExecutionPlan plan;

  /** The calls in call order; an open run appends the calls submitted later (in its events). */
  private CallNode[] nodes;

  private final FailureMode failureMode;
  private final int maxConcurrency;
  private final boolean sequential;
  private final @Nullable Duration deadline;
  private final boolean hasListeners;
  private final RecordSinks records;

  /** Trace id of the records of calls without a valid span; made when first needed. */
  private @Nullable String recordTraceId;

  private final SerialInbox inbox = new SerialInbox(this);
  private List<Attempt> toStart;
  private List<Runnable> effects = new ArrayList<>();
  private final ReadyQueue<CallNode> ready;

  /** Calls offered to the ready queue and not yet polled (some may have ended meanwhile). */
  private int offeredNotPolled;

  private final Admission admission;

  /** Why the run cannot work at all (its queue or admission could not be opened), or null. */
  private @Nullable SeamFailureException setupFailure;

  private final Map<String, ArrayDeque<CallNode>> refused = new HashMap<>();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private final Runnable onEnd;

  // ---- open runs (ToolExecutor.open): calls submitted while the run is under way ----

  /** Whether this run accepts calls after it started. */
  private final boolean openMode;

  /** Guards {@link #accepting} and {@link #submittedIds}; held only briefly, never in events. */
  private final Object submitLock = new Object();

  private volatile boolean accepting;
  private String refusedBecause = "it is not an open run";
  private final Set<String> submittedIds;

  /** Calls accepted by submit, in acceptance order, not yet made nodes by an event. */
  private final ConcurrentLinkedQueue<Submission> submissions = new ConcurrentLinkedQueue<>();

  /** Event state: no more submissions will come (complete, cancel, deadline, failure). */
  private boolean sealed;

  /** Why the run stopped, for calls submitted afterwards; null while it has not. */
  private @Nullable String stopReason;

  private record Submission(ToolCall<?, ?> call, CompletableFuture<CallResult<?>> future) {}

  // state below is touched only inside inbox events
  private int inFlight;
  private int unfinished;
  private int refusedCount;

  /** Attempts given up (timed out, cancelled) whose bodies have not returned: they hold slots. */
  private int abandoned;

  private boolean stopping;
  private boolean done;

  /** Ended by {@link #abort}: later events are ignored. */
  private boolean aborted;

  private boolean admissionClosed;

  /** Set when the ready queue threw: it is not used again and calls needing it fail. */
  private @Nullable SeamFailureException brokenQueue;

  private long startNanos;
  private long eventNanos = CallNode.NEVER;
  private long lastInstantNanos = CallNode.NEVER;
  private Instant lastInstant = Instant.EPOCH;
  private Instant startedAt = Instant.EPOCH;
  private long deadlineNanos = Long.MAX_VALUE;
  private @Nullable Cancellable deadlineTimer;
  private @Nullable Span span;
  private Context context = Context.root();

  /**
   * Prepares a run of an already validated plan; call {@link #start} to run it.
   *
   * @param onEnd called once when the run has ended, before its result is published
   */
  public Run(String id, EngineSettings settings, ExecutionPlan plan, Runnable onEnd) {
    this(id, settings, plan, onEnd, false);
  }

  /**
   * Prepares a run of an already validated plan; call {@link #start} to run it. An open run ({@code
   * open}) also accepts calls {@linkplain #submit(ToolCall) submitted} later, until {@link
   * #complete()}; its plan must have independent calls.
   *
   * @param onEnd called once when the run has ended, before its result is published
   * @throws IllegalArgumentException if the run is open and the plan is sequential or a graph
   */
  public Run(String id, EngineSettings settings, ExecutionPlan plan, Runnable onEnd, boolean open) {
    if (open
        && plan.mode() != ExecutionPlan.Mode.PARALLEL
        && plan.mode() != ExecutionPlan.Mode.BATCH) {
      throw new IllegalArgumentException(
          "an open run takes independent calls (a parallel or batch plan), not a "
              + plan.mode()
              + " plan");
    }
    this.openMode = open;
    this.accepting = open;
    this.sealed = !open;
    this.submittedIds = open ? new HashSet<>() : Set.of();
    if (open) {
      for (var node : plan.nodes()) {
        submittedIds.add(node.call().id());
      }
    }
    this.id = id;
    this.settings = settings;
    this.plan = plan;
    this.onEnd = onEnd;
    this.failureMode = plan.failureMode() != null ? plan.failureMode() : settings.failureMode();
    this.maxConcurrency =
        plan.maxConcurrency() != null ? plan.maxConcurrency() : settings.maxConcurrency();
    this.sequential = plan.mode() == ExecutionPlan.Mode.SEQUENTIAL;
    this.deadline = plan.deadline() != null ? plan.deadline() : settings.runDeadline();
    this.hasListeners = !settings.listeners().isEmpty();
    this.records = settings.records();
    this.startsEarly = settings.tracer() == null && records.isEmpty();
    this.nodes = CallNode.buildAll(this, plan.nodes());
    predictAll();
    this.toStart = new ArrayList<>(Math.min(nodes.length, maxConcurrency));
    ReadyQueue<CallNode> queue = new FifoQueue<>();
    Admission opened = PlugIns.NO_ADMISSION;
    try {
      // an open run's calls are not known when the queue would be opened, and a policy may size
      // its state by them (critical path): its calls start in submission order
      if (!sequential && !open) {
        queue = PlugIns.openQueue(settings, id, List.of(nodes));
      }
      opened =
          PlugIns.openAdmission(
              settings, RunInfo.of(id, plan, maxConcurrency), this::onCapacityAvailable);
    } catch (SeamFailureException e) {
      setupFailure = e; // every call will fail with it
    }
    this.ready = queue;
    this.admission = opened;
  }

  @Override
  public String id() {
    return id;
  }

  EngineSettings settings() {
    return settings;
  }

  @Override
  public CompletableFuture<RunResult> result() {
    return result;
  }

  @Override
  public boolean isDone() {
    return result.isDone();
  }

  // ---- open runs ----

  @Override
  public CompletableFuture<CallResult<?>> submit(ToolCall<?, ?> call) {
    Objects.requireNonNull(call, "call");
    try {
      settings.policies().resolve(call.tool()); // ambiguous policies: rejected before it is taken
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("call " + call.id() + ": " + e.getMessage(), e);
    }
    CompletableFuture<CallResult<?>> future = new CompletableFuture<>();
    synchronized (submitLock) {
      if (!accepting) {
        throw new IllegalStateException(
            "run " + id + " accepts no more calls (" + refusedBecause + "): call " + call.id());
      }
      if (!submittedIds.add(call.id())) {
        throw new IllegalArgumentException(
            "duplicate call id '" + call.id() + "' in open run " + id);
      }
      submissions.add(new Submission(call, future));
    }
    submit(this::addSubmitted, true);
    return future;
  }

  @Override
  public void complete() {
    if (!openMode) {
      return;
    }
    refuseSubmissions("complete() was called");
    submit(
        () -> {
          if (!done) {
            seal();
            completeIfDone();
          }
        },
        true);
  }

  @Override
  public boolean isOpen() {
    return accepting;
  }

  /** No call is accepted from now on; the first reason given is kept for the message. */
  private void refuseSubmissions(String why) {
    if (!openMode) {
      return;
    }
    synchronized (submitLock) {
      if (accepting) {
        accepting = false;
        refusedBecause = why;
      }
    }
  }

  /** Takes the last accepted calls in (after {@link #refuseSubmissions}): the run may now end. */
  private void seal() {
    addSubmitted();
    sealed = true;
  }

  /**
   * Event: makes nodes of the calls accepted so far, in acceptance order, and starts them as the
   * limits allow. A call submitted after the run stopped (fail-fast, cancel, deadline) ends at
   * once.
   */
  private void addSubmitted() {
    if (aborted || submissions.isEmpty()) {
      return;
    }
    List<Submission> taken = new ArrayList<>();
    for (Submission s; (s = submissions.poll()) != null; ) {
      taken.add(s);
    }
    int first = nodes.length;
    CallNode[] grown = Arrays.copyOf(nodes, first + taken.size());
    for (int i = 0; i < taken.size(); i++) {
      CallNode node = new CallNode(this, first + i, taken.get(i).call(), List.of(), new int[0]);
      node.future = taken.get(i).future();
      grown[first + i] = node;
    }
    nodes = grown;
    unfinished += taken.size();
    for (int i = first; i < grown.length; i++) {
      CallNode node = grown[i];
      if (setupFailure != null) {
        finish(node, CallStatus.FAILED, null, setupFailure);
      } else if (stopping) {
        node.queuedNanos = now();
        finish(
            node,
            CallStatus.CANCELLED,
            null,
            new CancellationException(
                "call " + node.call.id() + " was submitted after the run stopped: " + stopReason));
      } else {
        enqueue(node);
      }
    }
    dispatch();
    completeIfDone();
  }

  // ---- entry points: each submits an event ----

  /** Starts the run under the given parent trace context. */
  public void start(Context parent) {
    submit(() -> begin(parent), true);
  }

  /**
   * Cancels the run. Returns once every result is final, unless called from inside one of the run's
   * own events (a listener), where it returns at once and the cancellation follows.
   */
  @Override
  public boolean cancel() {
    if (result.isDone()) {
      return false;
    }
    refuseSubmissions("the run was cancelled");
    submit(() -> stopFromOutside(false), true);
    if (!inbox.isDrainingHere()) {
      try {
        result.join();
      } catch (CompletionException | CancellationException ended) {
        // ended all the same; the caller of execute sees why
      }
    }
    return true;
  }

  private void onDeadline() {
    refuseSubmissions("the run deadline of " + deadline + " passed");
    submit(() -> stopFromOutside(true), true);
  }

  private void onCapacityAvailable() {
    submit(this::reactToCapacity, true);
  }

  /** Reports an attempt's end; the outcome is in the attempt's fields, the attempt is the event. */
  void onAttemptEnded(Attempt attempt) {
    inbox.submit(attempt, false);
  }

  private void onAttemptTimeout(Attempt attempt, Duration timeout) {
    submit(() -> attemptTimedOut(attempt, timeout), true);
  }

  private void onRetryDue(CallNode node) {
    submit(() -> retryDue(node), true);
  }

  private void submit(Runnable event, boolean handOff) {
    inbox.submit(SerialInbox.event(event), handOff);
  }

  /** Starts the attempts and runs the actions the last event decided on. */
  @Override
  public void runNow() {
    eventNanos = CallNode.NEVER;
    startAttempts();
    for (int i = 0; i < effects.size(); i++) {
      runEffect(effects.get(i));
    }
    effects.clear();
  }

  /**
   * Hands the attempts made so far to the runner. Attempt.start never throws and allocates nothing
   * of its own, and what an attempt reports is an event of its own, run after the current one: so
   * attempts may start inside an event, once everything the event does for them (span, timer,
   * listeners) is done.
   */
  private void startAttempts() {
    for (int i = 0; i < toStart.size(); i++) {
      toStart.get(i).start(settings.runner());
    }
    toStart.clear();
  }

  private static void runEffect(Runnable effect) {
    try {
      effect.run();
    } catch (Throwable e) {
      Guard.log(LOG, "a Parallax run effect failed", e);
    }
  }

  @Override
  public Runnable detach() {
    eventNanos = CallNode.NEVER;
    if (toStart.isEmpty() && effects.isEmpty()) {
      return () -> {};
    }
    List<Attempt> attempts = toStart;
    List<Runnable> actions = effects;
    toStart = new ArrayList<>();
    effects = new ArrayList<>();
    return () -> { // index loops: nothing here may allocate, it must work out of memory too
      for (int i = 0; i < attempts.size(); i++) {
        attempts.get(i).start(settings.runner());
      }
      for (int i = 0; i < actions.size(); i++) {
        runEffect(actions.get(i));
      }
    };
  }

  // ---- events ----

  private void begin(Context parent) {
    startNanos = now();
    lastInstantNanos = startNanos;
    startedAt = settings.time().now();
    lastInstant = startedAt;
    context = parent;
    if (settings.tracer() != null) {
      try {
        span = CallSpans.startRun(settings.tracer(), parent, id, plan, startedAt);
        context = parent.with(span);
      } catch (Throwable e) {
        Guard.log(LOG, "tracing threw starting the span of run " + id + "; run not traced", e);
      }
    }
    long deadlineAfter = deadline == null ? Long.MAX_VALUE : Durations.toNanosSaturated(deadline);
    if (deadlineAfter != Long.MAX_VALUE) { // a deadline too long to count in nanoseconds: none
      deadlineNanos = Durations.addSaturated(startNanos, deadlineAfter);
      deadlineTimer = settings.time().schedule(deadline, this::onDeadline);
    }
    if (hasListeners) {
      fire(l -> l.onRunStarted(id, nodes.length));
    }
    unfinished = nodes.length;
    if (setupFailure != null) {
      SeamFailureException failure = setupFailure;
      stopReason = failure.getMessage();
      halt((node, running) -> finish(node, CallStatus.FAILED, null, failure));
      completeIfDone();
      return;
    }
    for (CallNode node : nodes) {
      if (node.pendingDependencies == 0) {
        enqueue(node);
      }
    }
    dispatch();
    completeIfDone();
  }

  private void stopFromOutside(boolean deadlinePassed) {
    if (done) {
      return;
    }
    stop(
        deadlinePassed,
        deadlinePassed ? "the run deadline of " + deadline + " passed" : "the run was cancelled");
    seal();
    completeIfDone();
  }

  private void reactToCapacity() {
    if (!done) {
      requeueAllRefused();
      dispatch();
    }
  }

  void attemptEnded(
      Attempt attempt,
      @Nullable Object value,
      @Nullable Throwable error,
      ResultCache.Status cacheStatus) {
    if (aborted) {
      return;
    }
    if (eventNanos == CallNode.NEVER) {
      eventNanos = attempt.endNanos; // read on the tool's thread: one clock read less here
    }
    if (error instanceof OutOfMemoryError outOfMemory) {
      // the heap is exhausted for every call, not just this one: end the run now and let the
      // caller have the error, instead of running on into a collector that no longer keeps up
      SerialInbox.releaseReserve();
      abort(outOfMemory);
      return;
    }
    if (attempt.abandonedAs != null) { // given up already (timeout, cancel, deadline)
      bodyReturned(attempt);
      return;
    }
    CallNode node = attempt.node;
    boolean isHedge = node.hedge == attempt;
    if ((node.current != attempt && !isHedge) || node.state != CallNode.State.RUNNING) {
      return;
    }
    if (node.hedge != null) { // one of the two attempts of a hedged call
      hedgedAttemptEnded(node, attempt, isHedge, value, error, cacheStatus);
      dispatch();
      completeIfDone();
      return;
    }
    node.cacheStatus = cacheStatus;
    node.preloadHit = attempt.preloadHit;
    endAttempt(node, attempt, error == null ? Outcome.SUCCESS : Outcome.FAILURE);
    if (error == null) {
      finish(node, CallStatus.SUCCEEDED, value, null);
    } else {
      attemptFailed(node, attempt, error);
    }
    dispatch();
    completeIfDone();
  }

  /** The body of an attempt given up earlier has returned: its slot is free at last. */
  private void bodyReturned(Attempt attempt) {
    abandoned--;
    releaseSlot(attempt.node, attempt, attempt.abandonedAs);
    if (done) {
      if (abandoned == 0) {
        closeAdmission();
      }
    } else {
      dispatch();
      completeIfDone();
    }
  }

  private void attemptTimedOut(Attempt attempt, Duration timeout) {
    CallNode node = attempt.node;
    boolean isHedge = node.hedge == attempt;
    if ((node.current != attempt && !isHedge) || node.state != CallNode.State.RUNNING) {
      return;
    }
    giveUp(attempt, Outcome.TIMEOUT);
    ToolTimeoutException error =
        new ToolTimeoutException(
            "call "
                + node.call.id()
                + " (tool "
                + attempt.tool.name()
                + ") attempt "
                + attempt.number
                + (attempt.hedge ? " (a hedge)" : "")
                + " did not finish within its timeout of "
                + timeout,
            timeout);
    Attempt hedge = node.hedge;
    if (hedge != null) { // the other attempt of the hedged call runs on
      node.current = isHedge ? node.current : hedge;
      node.hedge = null;
      failedBeside(node, attempt, error);
    } else {
      attemptFailed(node, attempt, error);
    }
    dispatch();
    completeIfDone();
  }

  private void retryDue(CallNode node) {
    if (node.state != CallNode.State.WAITING_RETRY) {
      return;
    }
    node.retryTimer = null;
    if (sequential) {
      inFlight--; // the slot held during the back-off is taken again by the retry
    }
    offer(node);
    dispatch();
    completeIfDone();
  }

  /**
   * An event threw. Every unfinished call fails with the error (running attempts are given up), so
   * the run ends; an error of the JVM itself (out of memory) or a failure while ending the calls
   * completes the result exceptionally instead, which needs no allocation.
   */
  @Override
  public void eventFailed(Throwable failure) {
    if (aborted) {
      return;
    }
    if (done) {
      Guard.log(LOG, "an event of a run failed after the run ended", failure);
      return;
    }
    if (!(failure instanceof VirtualMachineError)) {
      try {
        SeamFailureException error =
            new SeamFailureException(
                Seam.ENGINE, "run " + id + " stopped after an unexpected error", failure);
        halt((node, running) -> finish(node, CallStatus.FAILED, null, error));
        stopReason = error.getMessage();
        refuseSubmissions(error.getMessage());
        seal();
        completeIfDone();
        Guard.log(LOG, error.getMessage(), failure);
        return;
      } catch (Throwable again) {
        // could not end the calls one by one (out of memory, most likely): end the run below
      }
    }
    abort(failure);
  }

  /**
   * Ends the run at once with an exceptional result, doing as little as possible, and lets go of
   * its calls first: out of memory, completing the result needs a little room.
   */
  private void abort(Throwable failure) {
    if (aborted) {
      return;
    }
    done = true;
    stopping = true;
    aborted = true;
    try {
      for (int i = 0; i < nodes.length; i++) {
        CallNode node = nodes[i];
        nodes[i] = null;
        Attempt attempt = node == null ? null : node.current;
        if (attempt != null && node.state == CallNode.State.RUNNING) {
          attempt.cancel();
          Attempt hedge = node.hedge;
          if (hedge != null) {
            hedge.cancel();
          }
        }
        if (node != null && node.future != null) {
          node.future.completeExceptionally(failure);
        }
      }
      refused.clear();
      if (brokenQueue == null) {
        while (ready.poll() != null) {
          // let go of the calls waiting to start
        }
      }
    } catch (Throwable e) {
      // best effort: the run ends below either way
    }
    try {
      refuseSubmissions("the run failed: " + failure);
      for (Submission s; (s = submissions.poll()) != null; ) {
        s.future().completeExceptionally(failure);
      }
    } catch (Throwable e) {
      // best effort, as above
    }
    try {
      closeAdmission(); // whatever it holds for the run: nothing will release it any more
      onEnd.run();
    } finally {
      result.completeExceptionally(failure);
    }
  }

  // ---- state machine ----

  private void enqueue(CallNode node) {
    node.queuedNanos = now();
    if (node.dependencies.length > 0) {
      Map<String, CallResult<?>> deps = new LinkedHashMap<>();
      for (int d : node.dependencies) {
        deps.put(nodes[d].call.id(), nodes[d].result);
      }
      node.dependencyResults = Collections.unmodifiableMap(deps);
    }
    // in a sequence a call with rejected arguments fails in its turn (dispatch), not before the
    // calls ahead of it: failing it here would stop the sequence before they ran
    boolean failsInItsTurn = sequential && node.call.argumentsError() != null;
    if (node.call.input() == null && !failsInItsTurn && !resolveDerivedInput(node)) {
      return;
    }
    if (!node.predicted && !failsInItsTurn) {
      node.predicted = true;
      node.prediction = PlugIns.predict(settings, node);
    }
    offer(node);
    if (hasListeners && node.state == CallNode.State.READY) {
      fire(l -> l.onQueued(node));
      // more ready than free slots (in a sequence the next call waits its turn, not for capacity)
      if (!sequential && inFlight + offeredNotPolled > maxConcurrency) {
        fire(l -> l.onWaitingForCapacity(node));
      }
    }
  }

  /**
   * Computes a derived call's input from its dependencies' results, here in the run's event, before
   * any attempt: if the function throws — or the call's JSON arguments were rejected — the call
   * fails without running a tool (no attempt, no retry, nothing for a circuit breaker to count).
   */
  private boolean resolveDerivedInput(CallNode node) {
    InvalidArgumentsException rejected = node.call.argumentsError();
    if (rejected != null) { // arguments that did not fit the tool: the error goes back as it is
      failCall(node, CallStatus.FAILED, rejected);
      return false;
    }
    try {
      node.resolvedInput = node.call.resolveInput(node.dependencyResults);
      return true;
    } catch (Throwable e) {
      failCall(
          node,
          CallStatus.FAILED,
          new SeamFailureException(
              Seam.INPUT_FUNCTION,
              "call "
                  + node.call.id()
                  + ": the function deriving its input from "
                  + (node.dependsOn.isEmpty()
                      ? "its dependencies"
                      : "dependencies " + node.dependsOn)
                  + " threw",
              e));
      return false;
    }
  }

  /** Puts a call in the ready queue; if the queue is broken, the call fails instead. */
  private void offer(CallNode node) {
    node.state = CallNode.State.READY;
    if (brokenQueue != null) {
      failCall(node, CallStatus.FAILED, brokenQueue);
      return;
    }
    try {
      ready.add(node);
      offeredNotPolled++;
    } catch (Throwable e) {
      queueFailed("add", e);
    }
  }

  /**
   * The scheduling queue threw: its state is unknown, so it is not used again. Calls waiting to
   * start, and every call that becomes ready later, fail; calls already running finish normally.
   */
  private void queueFailed(String operation, Throwable e) {
    brokenQueue =
        new SeamFailureException(
            Seam.SCHEDULING,
            "the ready queue of run " + id + " threw on " + operation + "; calls not started fail",
            e);
    Guard.log(LOG, brokenQueue.getMessage(), e);
    refused.clear();
    refusedCount = 0;
    admissionStopping();
    for (CallNode node : nodes) {
      if (node.state == CallNode.State.READY || node.state == CallNode.State.REFUSED) {
        failCall(node, CallStatus.FAILED, brokenQueue);
      }
    }
  }

  private void dispatch() {
    while (!stopping && brokenQueue == null && inFlight < maxConcurrency) {
      CallNode node;
      try {
        node = ready.poll(); // typed: a queue can only return the calls it was given
        if (node != null) {
          offeredNotPolled--;
        }
      } catch (Throwable e) { // a raw-typed queue returning anything else fails the cast here
        queueFailed("poll", e);
        return;
      }
      if (node == null) {
        return;
      }
      if (node.run != this) { // only an untyped queue shared by several runs gets here
        queueFailed(
            "poll", new IllegalStateException("it returned a call of another run: " + node));
        return;
      }
      if (node.state != CallNode.State.READY) {
        continue;
      }
      if (node.call.argumentsError() != null) { // its turn in a sequence: it fails, runs nothing
        resolveDerivedInput(node);
        continue;
      }
      if (!node.replacementConsidered) {
        node.replacementConsidered = true;
        FallbackPolicy.Swap replacement = PlugIns.replacementFor(settings, node);
        if (replacement != null && replacement.tool() != node.tool) {
          IllegalArgumentException ambiguous = node.trySwitchTool(replacement, null);
          if (ambiguous != null) { // the alternative's policy is ambiguous
            failCall(node, CallStatus.FAILED, ambiguous);
            continue;
          }
        }
      }
      boolean admitted;
      try {
        admitted = admission.tryAcquire(node);
      } catch (Throwable e) {
        failCall(
            node,
            CallStatus.FAILED,
            new SeamFailureException(
                Seam.ADMISSION,
                "the admission control threw deciding whether call "
                    + node.call.id()
                    + " may start",
                e));
        continue;
      }
      if (!admitted) {
        ResultCache.Join joined = joinInsteadOfWaiting(node);
        if (joined != null) { // its result is under way (its own preload): no permit needed
          launch(node, joined);
          continue;
        }
        node.state = CallNode.State.REFUSED;
        if (hasListeners) {
          fire(l -> l.onWaitingForCapacity(node));
        }
        refused.computeIfAbsent(node.tool.name(), k -> new ArrayDeque<>()).add(node);
        refusedCount++;
        continue;
      }
      launch(node, null);
    }
  }

  /**
   * A refused call whose result the cache is already computing (a preload holding the permit the
   * call was refused): the lookup that waits for it, or null. A throwing cache offers nothing.
   */
  private ResultCache.@Nullable Join joinInsteadOfWaiting(CallNode node) {
    ResultCache cache = settings.cache();
    if (cache == ResultCache.NONE) {
      return null;
    }
    try {
      return cache.joinRefused(node, node.input());
    } catch (Throwable e) {
      Guard.log(LOG, "the result cache threw offering to answer refused call " + node, e);
      return null;
    }
  }

  /**
   * Starts the call's next attempt; {@code joined}: instead of the cache's lookup, a lookup that
   * waits for work under way, run without an admission permit.
   */
  private void launch(CallNode node, ResultCache.@Nullable Join joined) {
    inFlight++;
    node.state = CallNode.State.RUNNING;
    node.attempt++;
    node.attemptOnTool++;
    long now = now();
    if (node.startedNanos == CallNode.NEVER) {
      node.startedNanos = now;
      node.context = context;
      if (settings.tracer() != null) {
        try {
          node.span =
              CallSpans.startCall(
                  settings.tracer(),
                  context,
                  node,
                  instantAt(now),
                  inFlight,
                  settings.recordPayloads());
          node.context = context.with(node.span);
        } catch (Throwable e) {
          Guard.log(LOG, "tracing threw starting the span of " + node + "; not traced", e);
        }
      }
    }
    Duration timeout = node.policy.attemptTimeout(); // the tool's, else its capability's, else
    long timeoutNanos = node.policy.attemptTimeoutNanos(); // the executor's; MAX_VALUE: none
    long attemptDeadline = Math.min(Durations.addSaturated(now, timeoutNanos), deadlineNanos);
    Attempt attempt =
        new Attempt(
            node,
            node.tool,
            node.input(),
            node.context,
            node.attempt,
            now,
            inFlight,
            attemptDeadline == Long.MAX_VALUE ? null : instantAt(attemptDeadline));
    attempt.joined = joined;
    node.current = attempt;
    toStart.add(attempt); // first: if what follows throws, the attempt still starts and reports
    if (timeout != null) { // null also when too long to count in nanoseconds: no timeout
      attempt.timeoutTimer =
          settings.time().schedule(timeout, () -> onAttemptTimeout(attempt, timeout));
    }
    if (node.attempt == 1 && settings.hedging() != null) {
      scheduleHedge(node, attempt, now);
    }
    if (hasListeners) {
      int number = node.attempt;
      fire(l -> l.onStarted(node, number));
    }
    if (toStart.size() >= START_BATCH && startsEarly) {
      // a long dispatch (a large run's start) starts its attempts batch by batch, so the first
      // tools run on the other cores while this thread is still launching the later calls
      startAttempts();
    }
  }

  /** The attempt's body returned: its timer stops and its slot is free. */
  private void endAttempt(CallNode node, Attempt attempt, Outcome outcome) {
    cancelTimeout(attempt);
    cancelHedgeTimer(node);
    releaseSlot(node, attempt, outcome);
  }

  /**
   * The run stops waiting for the attempt (timeout, cancel, deadline) and interrupts it; its slot
   * stays taken until its body returns ({@link #bodyReturned}).
   */
  private void giveUp(Attempt attempt, Outcome outcome) {
    cancelTimeout(attempt);
    cancelHedgeTimer(attempt.node);
    attempt.abandonedAs = outcome;
    abandoned++;
    effects.add(attempt::cancel);
  }

  private static void cancelTimeout(Attempt attempt) {
    if (attempt.timeoutTimer != null) {
      attempt.timeoutTimer.cancel();
    }
  }

  private static void cancelHedgeTimer(CallNode node) {
    if (node.hedgeTimer != null) {
      node.hedgeTimer.cancel();
      node.hedgeTimer = null;
    }
  }

  // ---- hedging (see HedgePolicy) ----

  /**
   * The call's first attempt started: it earns its share of the hedge budget and, for an idempotent
   * tool with a known delay that ends before the run's deadline, a timer starts its hedge.
   */
  private void scheduleHedge(CallNode node, Attempt first, long now) {
    HedgeBudget hedging = Objects.requireNonNull(settings.hedging());
    hedging.earn();
    if (sequential || !node.tool.spec().idempotent()) {
      return;
    }
    Duration delay = hedgeDelay(hedging.policy(), node.prediction);
    if (delay == null
        || Durations.addSaturated(now, Durations.toNanosSaturated(delay)) >= deadlineNanos) {
      return;
    }
    node.hedgeTimer = settings.time().schedule(delay, () -> submit(() -> hedgeDue(first), true));
  }

  /** The fixed delay, else the predicted upper latency, never below the minimum; null if none. */
  private static @Nullable Duration hedgeDelay(
      HedgePolicy policy, @Nullable Prediction prediction) {
    Duration delay = policy.fixedDelay();
    if (delay == null) {
      if (prediction == null) {
        return null;
      }
      delay = prediction.upperLatency();
    }
    return delay.compareTo(policy.minDelay()) < 0 ? policy.minDelay() : delay;
  }

  /**
   * Event: the first attempt has run for the hedge delay. Starts the hedge if the budget, the
   * tool's health, the run's limit and admission allow; otherwise the call goes on unhedged.
   */
  private void hedgeDue(Attempt first) {
    CallNode node = first.node;
    if (node.current != first
        || node.state != CallNode.State.RUNNING
        || node.hedge != null
        || first.abandonedAs != null) {
      return;
    }
    node.hedgeTimer = null;
    if (stopping || inFlight >= maxConcurrency) {
      return;
    }
    HedgeBudget hedging = Objects.requireNonNull(settings.hedging());
    Tool<?, ?> tool = node.tool;
    ToolPolicies.Effective policy = node.policy;
    FallbackPolicy.Swap swap = PlugIns.hedgeAlternativeFor(settings, node);
    if (swap != null && swap.tool() != tool && swap.tool().spec().idempotent()) {
      try {
        policy = settings.policies().resolve(swap.tool());
        tool = swap.tool();
      } catch (IllegalArgumentException e) { // its policy is ambiguous: hedge with the own tool
        swap = null;
      }
    } else {
      swap = null;
    }
    if (!hedging.trySpend(tool.name())) {
      return;
    }
    boolean admitted;
    Tool<?, ?> own = node.tool;
    node.tool = tool; // the hedge counts against the limits of the tool it runs
    try {
      admitted = admission.tryAcquire(node);
    } catch (Throwable e) {
      Guard.log(LOG, "admission control threw deciding on a hedge of " + node + "; not hedged", e);
      admitted = false;
    } finally {
      node.tool = own;
    }
    if (!admitted) {
      hedging.refund();
      return;
    }
    startHedge(node, tool, policy, swap);
  }

  private void startHedge(
      CallNode node,
      Tool<?, ?> tool,
      ToolPolicies.Effective policy,
      FallbackPolicy.@Nullable Swap swap) {
    inFlight++;
    node.attempt++;
    if (tool == node.tool) {
      node.attemptOnTool++; // counts against the retries of the call's tool
    } else {
      if (node.triedTools == null) {
        node.triedTools = new ArrayList<>(2);
        node.triedTools.add(node.tool.name());
      }
      node.triedTools.add(tool.name());
    }
    long now = now();
    Duration timeout = policy.attemptTimeout();
    long attemptDeadline =
        Math.min(Durations.addSaturated(now, policy.attemptTimeoutNanos()), deadlineNanos);
    Attempt hedge =
        new Attempt(
            node,
            tool,
            node.input(),
            node.context,
            node.attempt,
            now,
            inFlight,
            attemptDeadline == Long.MAX_VALUE ? null : instantAt(attemptDeadline));
    hedge.hedge = true;
    node.hedge = hedge;
    node.hedgeTool = tool.name();
    node.hedgeReason = swap == null ? null : swap.reason();
    toStart.add(hedge);
    if (timeout != null) {
      hedge.timeoutTimer =
          settings.time().schedule(timeout, () -> onAttemptTimeout(hedge, timeout));
    }
    if (node.span != null) {
      Span callSpan = node.span;
      Instant at = instantAt(now);
      Attributes attributes =
          Attributes.of(
              ToolSpanAttributes.HEDGE_TOOL,
              tool.name(),
              AttributeKey.longKey("parallax.attempt"),
              (long) hedge.number);
      PlugIns.traced(() -> callSpan.addEvent(ToolSpanAttributes.HEDGE_EVENT, attributes, at));
    }
    if (hasListeners) {
      int number = node.attempt;
      Tool<?, ?> own = node.tool;
      node.tool = tool; // listeners see the tool the hedge runs
      try {
        fire(l -> l.onStarted(node, number));
      } finally {
        node.tool = own;
      }
    }
  }

  /**
   * Cancels one attempt of a hedged call (the loser, or the hedge when the run stops) and records
   * it CANCELLED with the reason.
   */
  private void cancelHedgeAttempt(CallNode node, Attempt attempt, String reason) {
    if (attempt.abandonedAs == null) {
      giveUp(attempt, Outcome.CANCELLED);
    }
    if (!records.isEmpty()) {
      emit(
          attemptRecord(
              node, attempt, CallStatus.CANCELLED, new CancellationException(reason), false));
    }
  }

  /**
   * One of the two attempts of a hedged call ended. A success answers the call and cancels the
   * other attempt; a failure is recorded and the call waits for the other.
   */
  private void hedgedAttemptEnded(
      CallNode node,
      Attempt attempt,
      boolean isHedge,
      @Nullable Object value,
      @Nullable Throwable error,
      ResultCache.Status cacheStatus) {
    Attempt other = Objects.requireNonNull(isHedge ? node.current : node.hedge);
    node.hedge = null;
    node.current = other;
    if (error != null) {
      endAttempt(node, attempt, Outcome.FAILURE);
      failedBeside(node, attempt, error);
      return;
    }
    node.cacheStatus = isHedge ? ResultCache.Status.NOT_CACHED : cacheStatus;
    node.preloadHit = !isHedge && attempt.preloadHit;
    endAttempt(node, attempt, Outcome.SUCCESS);
    cancelHedgeAttempt(
        node, other, "the other attempt of hedged call " + node.call.id() + " answered first");
    node.hedgeWinner = isHedge ? "hedge" : "first";
    if (isHedge) {
      Objects.requireNonNull(settings.hedging()).won();
      if (attempt.tool != node.tool) { // a hedge on an alternative answered: like a fallback
        if (node.fallbackFrom == null) {
          node.fallbackFrom = node.call.tool().name();
        }
        node.fallbackReason = "hedge" + (node.hedgeReason == null ? "" : ": " + node.hedgeReason);
        node.tool = attempt.tool;
      }
    }
    node.current = attempt;
    finish(node, CallStatus.SUCCEEDED, value, null);
  }

  /** An attempt of a hedged call failed while the other runs on: told, recorded, not final. */
  private void failedBeside(CallNode node, Attempt attempt, Throwable error) {
    if (hasListeners) {
      Tool<?, ?> own = node.tool;
      node.tool = attempt.tool; // listeners (circuit breakers) see the tool that failed
      try {
        fire(l -> l.onAttemptFailed(node, attempt.number, error));
      } finally {
        node.tool = own;
      }
    }
    if (node.span != null) {
      Span callSpan = node.span;
      PlugIns.traced(
          () -> CallSpans.attemptFailed(callSpan, attempt.number, error, settings.time().now()));
    }
    recordAttempt(node, attempt, error, false);
  }

  private void releaseSlot(CallNode node, Attempt attempt, Outcome outcome) {
    inFlight--;
    HedgeBudget hedging = settings.hedging();
    if (hedging != null) {
      hedging.observe(attempt.tool.name(), outcome);
    }
    try {
      // the attempt is the sample (no allocation); it names the tool that ran, which after a
      // fallback is not the call's; an attempt that joined work under way took no permit
      if (attempt.joined == null) {
        admission.release(node, attempt.released(outcome, now()));
      }
    } catch (Throwable e) {
      Guard.log(LOG, "admission control threw on release; ignored", e);
    }
    if (refusedCount > 0) {
      ArrayDeque<CallNode> waiting = refused.get(attempt.tool.name());
      if (waiting != null && !waiting.isEmpty()) {
        requeue(waiting.poll());
      }
      if (inFlight == 0) {
        requeueAllRefused(); // nothing runs: whatever admission refused must get another chance
      }
    }
  }

  private void requeue(CallNode node) {
    refusedCount--;
    if (node.state == CallNode.State.REFUSED) {
      offer(node);
    }
  }

  private void requeueAllRefused() {
    for (ArrayDeque<CallNode> waiting : refused.values()) {
      while (!waiting.isEmpty()) {
        requeue(waiting.poll());
      }
    }
  }

  private void attemptFailed(CallNode node, Attempt attempt, Throwable error) {
    if (hasListeners) {
      fire(l -> l.onAttemptFailed(node, attempt.number, error));
    }
    if (node.span != null) {
      Span callSpan = node.span;
      PlugIns.traced(
          () -> CallSpans.attemptFailed(callSpan, attempt.number, error, settings.time().now()));
    }
    if (!stopping) {
      Duration delay;
      try {
        delay = retryDelay(node, error);
      } catch (Throwable e) {
        SeamFailureException failure =
            new SeamFailureException(
                Seam.RETRY_POLICY,
                "the retry policy threw deciding whether to retry call "
                    + node.call.id()
                    + " after attempt "
                    + attempt.number,
                e);
        failure.addSuppressed(error);
        failCall(node, CallStatus.FAILED, failure);
        return;
      }
      if (delay != null
          && Durations.addSaturated(now(), Durations.toNanosSaturated(delay)) < deadlineNanos) {
        node.state = CallNode.State.WAITING_RETRY;
        if (sequential) {
          inFlight++; // in a sequence the next call waits for this one's retries
        }
        recordAttempt(node, attempt, error, false);
        node.retryTimer = settings.time().schedule(delay, () -> onRetryDue(node));
        if (hasListeners) {
          int next = node.attempt + 1;
          fire(l -> l.onRetryScheduled(node, next, delay));
        }
        return;
      }
      FallbackPolicy.Swap alternative = PlugIns.alternativeFor(settings, node, error);
      if (alternative != null) {
        recordAttempt(node, attempt, error, false);
        IllegalArgumentException ambiguous = node.trySwitchTool(alternative, error);
        if (ambiguous == null) {
          offer(node);
        } else { // the alternative's policy is ambiguous
          failCall(node, CallStatus.FAILED, ambiguous);
        }
        return;
      }
    }
    failCall(
        node,
        error instanceof ToolTimeoutException ? CallStatus.TIMED_OUT : CallStatus.FAILED,
        error);
  }

  /** The delay before the call's next attempt under its tool's retry policy, or null if none. */
  private @Nullable Duration retryDelay(CallNode node, Throwable error) {
    RetryPolicy retry = node.policy.retry();
    if (!retry.shouldRetry(node.attemptOnTool, error, node.tool.spec())) {
      return null;
    }
    return Objects.requireNonNull(
        retry.delayAfter(node.attemptOnTool, settings.random().nextDouble()),
        "the retry policy gave no delay");
  }

  /** Ends a call that did not succeed; in a fail-fast run, stops the others. */
  private void failCall(CallNode node, CallStatus status, Throwable error) {
    finish(node, status, null, error);
    if (failureMode == FailureMode.FAIL_FAST) {
      stop(false, "call " + node.call.id() + " " + status + " and the run fails fast");
    }
  }

  /**
   * Stops the run: running attempts are given up, every unfinished call gets its final result
   * (TIMED_OUT for calls running when the deadline passed, CANCELLED otherwise).
   */
  private void stop(boolean deadlinePassed, String reason) {
    if (stopping) {
      return;
    }
    stopReason = reason;
    halt(
        (node, running) -> {
          if (running && deadlinePassed) {
            finish(
                node,
                CallStatus.TIMED_OUT,
                null,
                new ToolTimeoutException(
                    "call " + node.call.id() + " was running when " + reason, deadline));
          } else {
            finish(node, CallStatus.CANCELLED, null, new CancellationException(reason));
          }
        });
  }

  /** How {@link #halt} ends one unfinished call. */
  private interface Ending {
    void end(CallNode node, boolean wasRunning);
  }

  /** Gives up every running attempt and ends every unfinished call; nothing starts afterwards. */
  private void halt(Ending ending) {
    stopping = true;
    for (CallNode node : nodes) {
      switch (node.state) {
        case DONE -> {}
        case RUNNING -> {
          Attempt attempt = node.current;
          if (attempt != null && attempt.abandonedAs == null) {
            giveUp(attempt, Outcome.CANCELLED);
          }
          Attempt hedge = node.hedge;
          if (hedge != null) {
            node.hedge = null;
            cancelHedgeAttempt(node, hedge, "the run stopped");
          }
          ending.end(node, true);
        }
        case WAITING_RETRY -> {
          if (node.retryTimer != null) {
            node.retryTimer.cancel();
          }
          ending.end(node, false);
        }
        default -> ending.end(node, false);
      }
    }
    refused.clear();
    refusedCount = 0;
    admissionStopping();
    if (brokenQueue == null) {
      try {
        while (ready.poll() != null) {
          // drop what was ready; every node is final now
        }
      } catch (Throwable e) {
        Guard.log(LOG, "the ready queue of run " + id + " threw while the run stopped", e);
      }
    }
  }

  private void finish(
      CallNode node, CallStatus status, @Nullable Object value, @Nullable Throwable error) {
    traceNeverStarted(node);
    if (!records.isEmpty()) {
      recordFinal(node, status, error);
    }
    node.state = CallNode.State.DONE;
    unfinished--;
    long now = now();
    CallResult<?> result =
        new CallResult<>(
            node.call.id(),
            node.tool.name(),
            status,
            value,
            error,
            node.attempt,
            instantAt(node.queuedNanos != CallNode.NEVER ? node.queuedNanos : now),
            node.startedNanos == CallNode.NEVER ? null : instantAt(node.startedNanos),
            instantAt(now),
            node.fallbackFrom,
            node.fallbackReason,
            node.cacheStatus == ResultCache.Status.HIT);
    node.result = result;
    node.current = null;
    node.hedge = null;
    cancelHedgeTimer(node);
    node.resolvedInput = null;
    if (node.future != null) {
      CompletableFuture<CallResult<?>> future = node.future;
      effects.add(() -> future.complete(result));
    }
    if (brokenQueue == null) {
      try {
        ready.onFinished(node, result);
      } catch (Throwable e) {
        queueFailed("onFinished", e);
      }
    }
    if (node.span != null) {
      Span callSpan = node.span;
      ResultCache.Status cacheStatus = node.cacheStatus;
      if (node.hedgeTool != null) {
        String hedgeTool = node.hedgeTool;
        String winner = node.hedgeWinner == null ? "none" : node.hedgeWinner;
        PlugIns.traced(
            () ->
                callSpan
                    .setAttribute(ToolSpanAttributes.HEDGED, true)
                    .setAttribute(ToolSpanAttributes.HEDGE_TOOL, hedgeTool)
                    .setAttribute(ToolSpanAttributes.HEDGE_WINNER, winner));
      }
      PlugIns.traced(
          () ->
              CallSpans.endCall(
                  callSpan,
                  result,
                  cacheStatus,
                  settings.recordPayloads(),
                  settings.exceptionRecording()));
      node.span = null; // a finished call keeps no span: memory must not depend on tracing
      node.context = Context.root();
    }
    if (hasListeners) {
      fire(l -> l.onFinished(node, result));
    }
    if (status.isSuccess()) {
      for (int d : node.dependents) {
        CallNode dependent = nodes[d];
        if (--dependent.pendingDependencies == 0
            && dependent.state == CallNode.State.PENDING
            && !stopping) {
          enqueue(dependent);
        }
      }
    } else if (!stopping && failureMode == FailureMode.CONTINUE && node.dependents.length > 0) {
      skipDependents(node);
    }
  }

  /** Skips every call that depends, directly or not, on a call that did not succeed. */
  private void skipDependents(CallNode failed) {
    ArrayDeque<CallNode> work = new ArrayDeque<>();
    work.add(failed);
    while (!work.isEmpty()) {
      CallNode cause = work.poll();
      for (int d : cause.dependents) {
        CallNode dependent = nodes[d];
        if (dependent.state != CallNode.State.PENDING) {
          continue;
        }
        dependent.state = CallNode.State.DONE;
        unfinished--;
        Instant now = instantAt(now());
        CallResult<?> result =
            new CallResult<>(
                dependent.call.id(),
                dependent.tool.name(),
                CallStatus.SKIPPED,
                null,
                new SkippedException(dependent.call.id(), cause.call.id(), cause.result.status()),
                0,
                now,
                null,
                now,
                null,
                null,
                false);
        dependent.result = result;
        traceNeverStarted(dependent);
        if (!records.isEmpty()) {
          emit(neverStarted(dependent, CallStatus.SKIPPED, result.error()));
        }
        if (dependent.span != null) {
          Span span = dependent.span;
          PlugIns.traced(
              () ->
                  CallSpans.endCall(
                      span,
                      result,
                      ResultCache.Status.NOT_CACHED,
                      false,
                      settings.exceptionRecording()));
          dependent.span = null;
        }
        if (brokenQueue == null) {
          try {
            ready.onFinished(dependent, result);
          } catch (Throwable e) {
            queueFailed("onFinished", e);
          }
        }
        if (hasListeners) {
          fire(l -> l.onSkipped(dependent, result));
        }
        work.add(dependent);
      }
    }
  }

  /**
   * Gives a call that never started (skipped, cancelled, refused, past the deadline) a span of its
   * own, so that a trace holds every call of the run like the records do; the caller ends it.
   */
  private void traceNeverStarted(CallNode node) {
    if (settings.tracer() == null || node.span != null || node.startedNanos != CallNode.NEVER) {
      return;
    }
    try {
      node.span =
          CallSpans.startCall(settings.tracer(), context, node, instantAt(now()), inFlight, false);
    } catch (Throwable e) {
      Guard.log(LOG, "tracing threw starting the span of " + node + "; not traced", e);
    }
  }

  // ---- predictions and records ----

  /**
   * Asks the predictor, once per call, before the run opens its ready queue, so that a scheduling
   * policy can rank by the call's own prediction instead of asking again. A derived call is asked
   * before its input is known (a predictor sees what it would see when the call is queued: the
   * {@code PendingCall} shows no input for it); a call whose arguments were rejected is not asked.
   */
  private void predictAll() {
    if (settings.predictor() == dev.parallax.core.spi.Predictor.NONE) {
      return;
    }
    for (CallNode node : nodes) {
      if (node.call.argumentsError() == null) {
        node.predicted = true;
        node.prediction = PlugIns.predict(settings, node);
      }
    }
  }

  /** The record of an attempt that failed and is followed by another (a retry, a fallback). */
  private void recordAttempt(CallNode node, Attempt attempt, Throwable error, boolean last) {
    if (records.isEmpty()) {
      return;
    }
    CallStatus status =
        error instanceof ToolTimeoutException ? CallStatus.TIMED_OUT : CallStatus.FAILED;
    emit(attemptRecord(node, attempt, status, error, last));
  }

  /** The call's last record: its running attempt's, or one without an attempt of its own. */
  private void recordFinal(CallNode node, CallStatus status, @Nullable Throwable error) {
    Attempt attempt = node.current;
    if (node.state == CallNode.State.RUNNING && attempt != null) {
      emit(attemptRecord(node, attempt, status, error, true));
    } else if (node.attempt == 0) {
      emit(neverStarted(node, status, error));
    } else { // stopped between attempts: no attempt of its own, zero duration
      emit(
          record(
              node, node.tool.name(), node.attempt, now(), now(), 0, status, error, true, false));
    }
  }

  private ExecutionRecord.@Nullable Builder attemptRecord(
      CallNode node, Attempt attempt, CallStatus status, @Nullable Throwable error, boolean last) {
    // an attempt that reported ended when it reported; one given up (timeout, cancel) ends now
    long end = attempt.abandonedAs != null ? now() : attempt.endNanos;
    return record(
        node,
        attempt.tool.name(),
        attempt.number,
        attempt.startNanos,
        end,
        attempt.inFlightAtStart,
        status,
        error,
        last,
        attempt.hedge);
  }

  private ExecutionRecord.@Nullable Builder neverStarted(
      CallNode node, CallStatus status, @Nullable Throwable error) {
    return record(node, node.tool.name(), 0, now(), now(), 0, status, error, true, false);
  }

  /** A record from the engine's facts; null if it could not be built (out of memory). */
  private ExecutionRecord.@Nullable Builder record(
      CallNode node,
      String tool,
      int attempt,
      long startNanos,
      long endNanos,
      int inFlightAtStart,
      CallStatus status,
      @Nullable Throwable error,
      boolean last,
      boolean hedge) {
    try {
      String calledTool = node.call.tool().name();
      Map<String, Double> features = node.features;
      Prediction prediction = node.prediction;
      ExecutionRecord.Builder b =
          ExecutionRecord.builder()
              .tool(tool)
              .callId(node.call.id())
              .runId(id)
              .start(instantAt(startNanos))
              .duration(Duration.ofNanos(Math.max(0, endNanos - startNanos)))
              .status(status)
              .errorType(error == null ? null : CallSpans.errorType(error))
              .attempt(attempt)
              .attempts(attempt)
              .finalAttempt(last)
              .inFlight(inFlightAtStart)
              .cacheHit(attempt > 0 && !hedge && node.cacheStatus == ResultCache.Status.HIT)
              .preloadHit(
                  attempt > 0
                      && !hedge
                      && node.cacheStatus == ResultCache.Status.HIT
                      && node.preloadHit)
              .hedged(node.hedgeTool != null)
              .hedge(hedge)
              .fallbackFrom(tool.equals(calledTool) ? null : calledTool)
              .features(features == null ? Map.of() : features)
              .arguments(node.arguments);
      if (node.queuedNanos != CallNode.NEVER && node.startedNanos != CallNode.NEVER) {
        b.queueWait(Duration.ofNanos(node.startedNanos - node.queuedNanos));
      }
      if (prediction != null) {
        b.predictedLatency(prediction.latency())
            .predictedSuccess(prediction.successProbability())
            .predictionSource(prediction.source());
      }
      SpanContext spanContext = node.span == null ? null : node.span.getSpanContext();
      if (spanContext != null && spanContext.isValid()) {
        b.traceId(spanContext.getTraceId()).spanId(spanContext.getSpanId());
      } else {
        if (node.recordSpanId == null) {
          node.recordSpanId = Ids.spanId();
        }
        b.traceId(recordTraceId()).spanId(node.recordSpanId);
      }
      return b;
    } catch (Throwable e) {
      Guard.log(LOG, "could not build the record of " + node + "; not recorded", e);
      return null;
    }
  }

  private String recordTraceId() {
    if (recordTraceId == null) {
      SpanContext runContext = span == null ? null : span.getSpanContext();
      recordTraceId =
          runContext != null && runContext.isValid() ? runContext.getTraceId() : Ids.traceId();
    }
    return recordTraceId;
  }

  private void emit(ExecutionRecord.@Nullable Builder record) {
    if (record != null) {
      try {
        records.emit(record.build());
      } catch (Throwable e) {
        Guard.log(LOG, "could not build an execution record; not recorded", e);
      }
    }
  }

  private void completeIfDone() {
    if (done || unfinished > 0 || !sealed) {
      return;
    }
    done = true;
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
    }
    if (abandoned == 0) {
      closeAdmission();
    } // else when the last given-up body returns: until then it holds its slot
    Instant end = instantAt(now());
    CallResult<?>[] results = new CallResult<?>[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      results[i] = nodes[i].result;
    }
    List<CallResult<?>> list = Arrays.asList(results);
    RunResult runResult = new RunResult(id, list, RunReport.of(startedAt, end, list));
    if (span != null) {
      Span runSpan = span;
      if (openMode) { // its calls were not known when its span started
        long calls = nodes.length;
        PlugIns.traced(() -> runSpan.setAttribute(ToolSpanAttributes.RUN_CALLS, calls));
      }
      PlugIns.traced(() -> CallSpans.endRun(runSpan, runResult, end));
      span = null;
    }
    effects.add(() -> publish(runResult));
  }

  /** Tells the listeners, forgets the run, completes its result — the last even if one throws. */
  private void publish(RunResult runResult) {
    try {
      if (hasListeners) {
        fire(l -> l.onRunFinished(runResult));
      }
    } finally {
      try {
        onEnd.run();
      } finally {
        result.complete(runResult);
      }
    }
  }

  /** No call of the run will be offered again: what the admission set aside may go. */
  private void admissionStopping() {
    try {
      admission.stopping();
    } catch (Throwable e) {
      Guard.log(LOG, "admission control threw when run " + id + " stopped; ignored", e);
    }
  }

  private void closeAdmission() {
    if (admissionClosed) {
      return;
    }
    admissionClosed = true;
    try {
      admission.close();
    } catch (Throwable e) {
      Guard.log(LOG, "admission control threw on close; ignored", e);
    }
  }

  /**
   * The clock, read once per event: everything an event does happens "at the same time", which
   * saves clock reads and lets results share instants.
   */
  private long now() {
    if (eventNanos == CallNode.NEVER) {
      eventNanos = settings.time().nanoTime();
    }
    return eventNanos;
  }

  private Instant instantAt(long nanos) {
    if (nanos != lastInstantNanos) {
      lastInstantNanos = nanos;
      lastInstant = startedAt.plusNanos(nanos - startNanos);
    }
    return lastInstant;
  }

  private void fire(Consumer<ExecutionListener> event) {
    Listeners.fire(settings.listeners(), event);
  }

  @Override
  public String toString() {
    return "Run[" + id + ", " + plan.mode() + ", " + nodes.length + " calls]";
  }
}
