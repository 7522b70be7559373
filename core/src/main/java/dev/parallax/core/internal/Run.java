package dev.parallax.core.internal;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunReport;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SkippedException;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.AttemptSample.Outcome;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.time.Cancellable;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
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
 * is given up at once; its thread is interrupted and whatever it reports later is ignored, so a
 * tool that ignores interruption cannot hold the run past its deadline.
 *
 * <p>Times are kept as {@link dev.parallax.core.time.TimeSource#nanoTime()} readings and turned
 * into instants relative to the run's start only when a result is made.
 *
 * <p>Internal; may change at any time.
 */
public final class Run implements ToolRun, SerialInbox.Effects {

  private static final Logger LOG = Logger.getLogger(Run.class.getName());
  private static final int[] NO_DEPENDENCIES = new int[0];

  private final String id;
  private final EngineSettings settings;
  private final ExecutionPlan plan;
  private final CallNode[] nodes;
  private final FailureMode failureMode;
  private final int maxConcurrency;
  private final boolean sequential;
  private final @Nullable Duration deadline;
  private final boolean hasListeners;
  private final SerialInbox inbox = new SerialInbox(this);
  private List<Attempt> toStart;
  private List<Runnable> effects = new ArrayList<>();
  private final ReadyQueue ready;
  private final Admission admission;
  private final Map<String, ArrayDeque<CallNode>> refused = new HashMap<>();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private final Runnable onEnd;

  // state below is touched only inside inbox events
  private int inFlight;
  private int unfinished;
  private int refusedCount;
  private boolean stopping;
  private boolean done;
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
    this.nodes = buildNodes(plan.nodes());
    this.toStart = new ArrayList<>(Math.min(nodes.length, maxConcurrency));
    this.ready = sequential ? new FifoQueue() : settings.scheduling().newQueue(List.of(nodes));
    this.admission = settings.admission().open(id, this::onCapacityAvailable);
  }

  private CallNode[] buildNodes(List<CallGraph.Node> planned) {
    CallNode[] built = new CallNode[planned.size()];
    boolean anyDependencies = false;
    for (CallGraph.Node n : planned) {
      anyDependencies |= !n.dependsOn().isEmpty();
    }
    if (!anyDependencies) {
      for (int i = 0; i < built.length; i++) {
        built[i] = new CallNode(this, i, planned.get(i).call(), List.of(), NO_DEPENDENCIES);
      }
      return built;
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < planned.size(); i++) {
      index.put(planned.get(i).call().id(), i);
    }
    int[] dependentCounts = new int[planned.size()];
    for (int i = 0; i < planned.size(); i++) {
      CallGraph.Node n = planned.get(i);
      int[] deps = new int[n.dependsOn().size()];
      for (int d = 0; d < deps.length; d++) {
        deps[d] = index.get(n.dependsOn().get(d));
        dependentCounts[deps[d]]++;
      }
      built[i] = new CallNode(this, i, n.call(), n.dependsOn(), deps);
    }
    for (int i = 0; i < built.length; i++) {
      built[i].dependents = new int[dependentCounts[i]];
      dependentCounts[i] = 0;
    }
    for (CallNode node : built) {
      for (int d : node.dependencies) {
        built[d].dependents[dependentCounts[d]++] = node.index;
      }
    }
    return built;
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
    submit(() -> stopFromOutside(false), true);
    if (!inbox.isDrainingHere()) {
      result.join();
    }
    return true;
  }

  private void onDeadline() {
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
    for (int i = 0; i < toStart.size(); i++) {
      toStart.get(i).start(settings.runner());
    }
    toStart.clear();
    for (int i = 0; i < effects.size(); i++) {
      runEffect(effects.get(i));
    }
    effects.clear();
  }

  private static void runEffect(Runnable effect) {
    try {
      effect.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a Parallax run effect failed", e);
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
    return () -> {
      for (Attempt attempt : attempts) {
        attempt.start(settings.runner());
      }
      actions.forEach(Run::runEffect);
    };
  }

  // ---- events ----

  private void begin(Context parent) {
    startNanos = now();
    lastInstantNanos = startNanos;
    startedAt = settings.time().now();
    lastInstant = startedAt;
    if (settings.tracer() != null) {
      span = CallSpans.startRun(settings.tracer(), parent, id, plan, startedAt);
      context = parent.with(span);
    } else {
      context = parent;
    }
    if (deadline != null) {
      deadlineNanos = startNanos + deadline.toNanos();
      deadlineTimer = settings.time().schedule(deadline, this::onDeadline);
    }
    if (hasListeners) {
      fire(l -> l.onRunStarted(id, nodes.length));
    }
    unfinished = nodes.length;
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
    CallNode node = attempt.node;
    if (node.current != attempt || node.state != CallNode.State.RUNNING) {
      return; // given up already (timeout, cancel, deadline)
    }
    if (eventNanos == CallNode.NEVER) {
      eventNanos = attempt.endNanos; // read on the tool's thread: one clock read less here
    }
    node.cacheStatus = cacheStatus;
    endAttempt(node, attempt, error == null ? Outcome.SUCCESS : Outcome.FAILURE);
    if (error == null) {
      finish(node, CallStatus.SUCCEEDED, value, null);
    } else {
      attemptFailed(node, attempt, error);
    }
    dispatch();
    completeIfDone();
  }

  private void attemptTimedOut(Attempt attempt, Duration timeout) {
    CallNode node = attempt.node;
    if (node.current != attempt || node.state != CallNode.State.RUNNING) {
      return;
    }
    effects.add(attempt::cancel);
    endAttempt(node, attempt, Outcome.TIMEOUT);
    attemptFailed(
        node,
        attempt,
        new ToolTimeoutException(
            "call "
                + node.call.id()
                + " (tool "
                + node.tool.name()
                + ") attempt "
                + attempt.number
                + " did not finish within its timeout of "
                + timeout,
            timeout));
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
    node.state = CallNode.State.READY;
    ready.add(node);
    dispatch();
  }

  // ---- state machine ----

  private void enqueue(CallNode node) {
    node.state = CallNode.State.READY;
    node.queuedNanos = now();
    if (node.dependencies.length > 0) {
      Map<String, CallResult<?>> deps = new LinkedHashMap<>();
      for (int d : node.dependencies) {
        deps.put(nodes[d].call.id(), nodes[d].result);
      }
      node.dependencyResults = Collections.unmodifiableMap(deps);
    }
    node.prediction = predict(node);
    ready.add(node);
    if (hasListeners) {
      fire(l -> l.onQueued(node));
    }
  }

  private @Nullable Prediction predict(CallNode node) {
    try {
      return settings.predictor().predict(node);
    } catch (RuntimeException e) {
      return null; // a broken predictor must not break the run
    }
  }

  private void dispatch() {
    while (!stopping && inFlight < maxConcurrency) {
      PendingCall next = ready.poll();
      if (next == null) {
        return;
      }
      CallNode node = (CallNode) next;
      if (node.state != CallNode.State.READY) {
        continue;
      }
      if (!node.replacementConsidered) {
        node.replacementConsidered = true;
        FallbackPolicy.Swap replacement = replacementFor(node);
        if (replacement != null && replacement.tool() != node.tool) {
          node.switchTool(replacement);
        }
      }
      if (!admission.tryAcquire(node)) {
        node.state = CallNode.State.REFUSED;
        refused.computeIfAbsent(node.tool.name(), k -> new ArrayDeque<>()).add(node);
        refusedCount++;
        continue;
      }
      launch(node);
    }
  }

  private void launch(CallNode node) {
    inFlight++;
    node.state = CallNode.State.RUNNING;
    node.attempt++;
    node.attemptOnTool++;
    long now = now();
    if (node.startedNanos == CallNode.NEVER) {
      node.startedNanos = now;
      if (settings.tracer() != null) {
        node.span =
            CallSpans.startCall(
                settings.tracer(),
                context,
                node,
                instantAt(now),
                inFlight,
                settings.recordPayloads());
        node.context = context.with(node.span);
      } else {
        node.context = context;
      }
    }
    Duration timeout = settings.attemptTimeout();
    long attemptDeadline = timeout == null ? Long.MAX_VALUE : now + timeout.toNanos();
    attemptDeadline = Math.min(attemptDeadline, deadlineNanos);
    Attempt attempt =
        new Attempt(
            node,
            node.tool,
            node.context,
            node.attempt,
            now,
            inFlight,
            attemptDeadline == Long.MAX_VALUE ? null : instantAt(attemptDeadline));
    node.current = attempt;
    if (timeout != null) {
      attempt.timeoutTimer =
          settings.time().schedule(timeout, () -> onAttemptTimeout(attempt, timeout));
    }
    if (hasListeners) {
      int number = node.attempt;
      fire(l -> l.onStarted(node, number));
    }
    toStart.add(attempt);
  }

  private void endAttempt(CallNode node, Attempt attempt, Outcome outcome) {
    inFlight--;
    if (attempt.timeoutTimer != null) {
      attempt.timeoutTimer.cancel();
    }
    try {
      if (admission instanceof FixedToolLimits fixed) {
        fixed.release(node); // needs no sample: spare the allocation on the hot path
      } else {
        Duration latency = Duration.ofNanos(now() - attempt.startNanos);
        admission.release(
            node, new AttemptSample(node.tool.name(), latency, outcome, attempt.inFlightAtStart));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "admission control threw on release; ignored", e);
    }
    if (refusedCount > 0) {
      ArrayDeque<CallNode> waiting = refused.get(node.tool.name());
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
      node.state = CallNode.State.READY;
      ready.add(node);
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
      CallSpans.attemptFailed(node.span, attempt.number, error, settings.time().now());
    }
    if (!stopping && settings.retry().shouldRetry(node.attemptOnTool, error, node.tool.spec())) {
      Duration delay =
          settings.retry().delayAfter(node.attemptOnTool, settings.random().nextDouble());
      if (now() + delay.toNanos() < deadlineNanos) {
        node.state = CallNode.State.WAITING_RETRY;
        if (sequential) {
          inFlight++; // in a sequence the next call waits for this one's retries
        }
        node.retryTimer = settings.time().schedule(delay, () -> onRetryDue(node));
        if (hasListeners) {
          int next = node.attempt + 1;
          fire(l -> l.onRetryScheduled(node, next, delay));
        }
        return;
      }
    }
    if (!stopping) {
      FallbackPolicy.Swap alternative = alternativeFor(node, error);
      if (alternative != null) {
        node.switchTool(alternative);
        node.state = CallNode.State.READY;
        ready.add(node);
        return;
      }
    }
    CallStatus status =
        error instanceof ToolTimeoutException ? CallStatus.TIMED_OUT : CallStatus.FAILED;
    finish(node, status, null, error);
    if (failureMode == FailureMode.FAIL_FAST) {
      stop(false, "call " + node.call.id() + " " + status + " and the run fails fast");
    }
  }

  private FallbackPolicy.@Nullable Swap replacementFor(CallNode node) {
    try {
      return settings.fallback().replaceBeforeStart(node);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "fallback policy threw; the call keeps its tool", e);
      return null;
    }
  }

  private FallbackPolicy.@Nullable Swap alternativeFor(CallNode node, Throwable error) {
    try {
      return settings.fallback().alternativeAfterFailure(node, error, node.triedTools());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "fallback policy threw; the call fails", e);
      return null;
    }
  }

  /**
   * Stops the run: running attempts are interrupted, every unfinished call gets its final result
   * (TIMED_OUT for calls running when the deadline passed, CANCELLED otherwise).
   */
  private void stop(boolean deadlinePassed, String reason) {
    if (stopping) {
      return;
    }
    stopping = true;
    for (CallNode node : nodes) {
      switch (node.state) {
        case DONE -> {}
        case RUNNING -> {
          Attempt attempt = node.current;
          effects.add(attempt::cancel);
          endAttempt(node, attempt, Outcome.CANCELLED);
          if (deadlinePassed) {
            finish(
                node,
                CallStatus.TIMED_OUT,
                null,
                new ToolTimeoutException(
                    "call " + node.call.id() + " was running when " + reason, deadline));
          } else {
            finish(node, CallStatus.CANCELLED, null, new CancellationException(reason));
          }
        }
        case WAITING_RETRY -> {
          node.retryTimer.cancel();
          finish(node, CallStatus.CANCELLED, null, new CancellationException(reason));
        }
        default -> finish(node, CallStatus.CANCELLED, null, new CancellationException(reason));
      }
    }
    refused.clear();
    refusedCount = 0;
    while (ready.poll() != null) {
      // drop what was ready; every node is final now
    }
  }

  private void finish(
      CallNode node, CallStatus status, @Nullable Object value, @Nullable Throwable error) {
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
    ready.onFinished(node, result);
    if (node.span != null) {
      CallSpans.endCall(node.span, result, node.cacheStatus, settings.recordPayloads());
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
        ready.onFinished(dependent, result);
        if (hasListeners) {
          fire(l -> l.onSkipped(dependent, result));
        }
        work.add(dependent);
      }
    }
  }

  private void completeIfDone() {
    if (done || unfinished > 0) {
      return;
    }
    done = true;
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
    }
    try {
      admission.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "admission control threw on close; ignored", e);
    }
    Instant end = instantAt(now());
    CallResult<?>[] results = new CallResult<?>[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      results[i] = nodes[i].result;
    }
    List<CallResult<?>> list = Arrays.asList(results);
    RunResult runResult = new RunResult(id, list, RunReport.of(startedAt, end, list));
    if (span != null) {
      CallSpans.endRun(span, runResult, end);
    }
    effects.add(
        () -> {
          if (hasListeners) {
            fire(l -> l.onRunFinished(runResult));
          }
          onEnd.run();
          result.complete(runResult);
        });
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
