package dev.parallax.core.internal;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunReport;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SkippedException;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.AttemptSample.Outcome;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.tool.Tool;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One run of a plan: an event-driven state machine over its calls.
 *
 * <p>There is no coordinator thread. Every event (start, an attempt's end, a timeout, a retry
 * falling due, the run deadline, cancellation, capacity freed elsewhere) takes the run's lock,
 * updates the calls' states, then {@link #dispatch starts} as many ready calls as the limits allow:
 * the scheduling seam picks the next ready call, the run's {@code maxConcurrency} and the admission
 * seam decide whether it may start. Listener events and span ends happen under the lock, so they
 * are ordered and complete before the run's result is published; starting and interrupting threads
 * and completing the future happen after the lock is released ({@link Effects}).
 *
 * <p>A call's life: PENDING (dependencies outstanding) → READY → RUNNING → (WAITING_RETRY → READY →
 * RUNNING)* → DONE, with REFUSED while admission says no. An attempt that times out or is cancelled
 * is given up at once; its thread is interrupted and whatever it reports later is ignored, so a
 * tool that ignores interruption cannot hold the run past its deadline.
 *
 * <p>Internal; may change at any time.
 */
public final class Run implements ToolRun {

  private final String id;
  private final EngineSettings settings;
  private final ExecutionPlan plan;
  private final CallNode[] nodes;
  private final FailureMode failureMode;
  private final int maxConcurrency;
  private final @Nullable Duration deadline;
  private final ReentrantLock lock = new ReentrantLock();
  private final ReadyQueue ready;
  private final Admission admission;
  private final Map<String, ArrayDeque<CallNode>> refused = new HashMap<>();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private final Runnable onEnd;
  private final AtomicBoolean capacitySignalled = new AtomicBoolean();

  private int inFlight;
  private int unfinished;
  private boolean stopping;
  private boolean done;
  private Instant startedAt = Instant.EPOCH;
  private @Nullable Instant deadlineAt;
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
    this.onEnd = onEnd;
    this.settings = settings;
    this.plan = plan;
    this.failureMode = plan.failureMode() != null ? plan.failureMode() : settings.failureMode();
    this.maxConcurrency =
        plan.maxConcurrency() != null ? plan.maxConcurrency() : settings.maxConcurrency();
    this.deadline = plan.deadline() != null ? plan.deadline() : settings.runDeadline();
    this.nodes = buildNodes(plan.nodes());
    this.ready =
        plan.mode() == ExecutionPlan.Mode.SEQUENTIAL
            ? new FifoQueue()
            : settings.scheduling().newQueue(List.of(nodes));
    this.admission = settings.admission().open(id, this::onCapacityAvailable);
  }

  private CallNode[] buildNodes(List<CallGraph.Node> planned) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < planned.size(); i++) {
      index.put(planned.get(i).call().id(), i);
    }
    CallNode[] built = new CallNode[planned.size()];
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
    for (CallNode node : built) {
      for (int d : node.dependencies) {
        CallNode dep = built[d];
        if (dep.dependents.length == 0) {
          dep.dependents = new int[dependentCounts[d]];
          dependentCounts[d] = 0;
        }
        dep.dependents[dependentCounts[d]++] = node.index;
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

  /** Starts the run under the given parent trace context. */
  public void start(Context parent) {
    Effects fx = new Effects();
    lock.lock();
    try {
      startedAt = settings.time().now();
      if (settings.tracer() != null) {
        span = CallSpans.startRun(settings.tracer(), parent, id, plan, startedAt);
        context = parent.with(span);
      } else {
        context = parent;
      }
      if (deadline != null) {
        deadlineAt = startedAt.plus(deadline);
        deadlineTimer = settings.time().schedule(deadline, this::onDeadline);
      }
      fire(l -> l.onRunStarted(id, nodes.length));
      unfinished = nodes.length;
      for (CallNode node : nodes) {
        if (node.pendingDependencies == 0) {
          enqueue(node);
        }
      }
      dispatch(fx);
      completeIfDone(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  @Override
  public boolean cancel() {
    return stopFromOutside(false);
  }

  private void onDeadline() {
    stopFromOutside(true);
  }

  private boolean stopFromOutside(boolean deadlinePassed) {
    Effects fx = new Effects();
    lock.lock();
    try {
      if (done) {
        return false;
      }
      stop(
          deadlinePassed,
          deadlinePassed ? "the run deadline of " + deadline + " passed" : "the run was cancelled");
      completeIfDone(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
    return true;
  }

  /*
   * Admission may signal from any thread, even while it holds another run's lock; reacting here
   * synchronously could deadlock two runs. So the signal only schedules the reaction, at most one
   * at a time, on the timer.
   */
  private void onCapacityAvailable() {
    if (capacitySignalled.compareAndSet(false, true)) {
      settings.time().schedule(Duration.ZERO, this::reactToCapacity);
    }
  }

  private void reactToCapacity() {
    capacitySignalled.set(false);
    Effects fx = new Effects();
    lock.lock();
    try {
      if (done) {
        return;
      }
      requeueAllRefused();
      dispatch(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  void onAttemptEnded(
      Attempt attempt, @Nullable Object value, @Nullable Throwable error, boolean cacheHit) {
    Effects fx = new Effects();
    lock.lock();
    try {
      CallNode node = attempt.node;
      if (node.current != attempt || node.state != CallNode.State.RUNNING) {
        return; // given up already (timeout, cancel, deadline)
      }
      endAttempt(node, attempt, error == null ? Outcome.SUCCESS : Outcome.FAILURE);
      if (error == null) {
        node.cacheHit = cacheHit;
        finish(node, CallStatus.SUCCEEDED, value, null);
      } else {
        attemptFailed(node, attempt, error);
      }
      dispatch(fx);
      completeIfDone(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  private void onAttemptTimeout(Attempt attempt, Duration timeout) {
    Effects fx = new Effects();
    lock.lock();
    try {
      CallNode node = attempt.node;
      if (node.current != attempt || node.state != CallNode.State.RUNNING) {
        return;
      }
      fx.add(attempt::cancel);
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
      dispatch(fx);
      completeIfDone(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  private void onRetryDue(CallNode node) {
    Effects fx = new Effects();
    lock.lock();
    try {
      if (node.state != CallNode.State.WAITING_RETRY) {
        return;
      }
      node.retryTimer = null;
      node.state = CallNode.State.READY;
      ready.add(node);
      dispatch(fx);
    } finally {
      lock.unlock();
    }
    fx.run();
  }

  // ---- everything below runs under the lock ----

  private void enqueue(CallNode node) {
    node.state = CallNode.State.READY;
    node.queuedAt = settings.time().now();
    if (node.dependencies.length > 0) {
      Map<String, CallResult<?>> deps = new LinkedHashMap<>();
      for (int d : node.dependencies) {
        deps.put(nodes[d].call.id(), nodes[d].result);
      }
      node.dependencyResults = java.util.Collections.unmodifiableMap(deps);
    }
    node.prediction = predict(node);
    ready.add(node);
    fire(l -> l.onQueued(node));
  }

  private @Nullable Prediction predict(CallNode node) {
    try {
      return settings.predictor().predict(node);
    } catch (RuntimeException e) {
      return null; // a broken predictor must not break the run
    }
  }

  private void dispatch(Effects fx) {
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
        Tool<?, ?> replacement = settings.fallback().replaceBeforeStart(node);
        if (replacement != null && replacement != node.tool) {
          node.switchTool(replacement);
        }
      }
      if (!admission.tryAcquire(node)) {
        node.state = CallNode.State.REFUSED;
        refused.computeIfAbsent(node.tool.name(), k -> new ArrayDeque<>()).add(node);
        continue;
      }
      launch(node, fx);
    }
  }

  private void launch(CallNode node, Effects fx) {
    inFlight++;
    node.state = CallNode.State.RUNNING;
    node.attempt++;
    node.attemptOnTool++;
    Instant now = settings.time().now();
    if (node.startedAt == null) {
      node.startedAt = now;
      if (settings.tracer() != null) {
        node.span =
            CallSpans.startCall(
                settings.tracer(), context, node, now, inFlight, settings.recordPayloads());
        node.context = context.with(node.span);
      } else {
        node.context = context;
      }
    }
    Duration timeout = settings.attemptTimeout();
    Instant attemptDeadline = timeout == null ? null : now.plus(timeout);
    if (deadlineAt != null && (attemptDeadline == null || deadlineAt.isBefore(attemptDeadline))) {
      attemptDeadline = deadlineAt;
    }
    Attempt attempt =
        new Attempt(node, node.attempt, settings.time().nanoTime(), inFlight, attemptDeadline);
    node.current = attempt;
    if (timeout != null) {
      attempt.timeoutTimer =
          settings.time().schedule(timeout, () -> onAttemptTimeout(attempt, timeout));
    }
    int number = node.attempt;
    fire(l -> l.onStarted(node, number));
    fx.add(() -> attempt.start(settings.runner()));
  }

  private void endAttempt(CallNode node, Attempt attempt, Outcome outcome) {
    inFlight--;
    if (attempt.timeoutTimer != null) {
      attempt.timeoutTimer.cancel();
    }
    Duration latency = Duration.ofNanos(settings.time().nanoTime() - attempt.startNanos);
    try {
      admission.release(
          node, new AttemptSample(node.tool.name(), latency, outcome, attempt.inFlightAtStart));
    } catch (RuntimeException e) {
      // a broken admission must not lose the call
    }
    ArrayDeque<CallNode> waiting = refused.get(node.tool.name());
    if (waiting != null && !waiting.isEmpty()) {
      requeue(waiting.poll());
    }
    if (inFlight == 0) {
      requeueAllRefused(); // nothing runs: whatever admission refused must get another chance
    }
  }

  private void requeue(CallNode node) {
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
    fire(l -> l.onAttemptFailed(node, attempt.number, error));
    if (node.span != null) {
      CallSpans.attemptFailed(node.span, attempt.number, error, settings.time().now());
    }
    if (!stopping && settings.retry().shouldRetry(node.attemptOnTool, error, node.tool.spec())) {
      Duration delay =
          settings.retry().delayAfter(node.attemptOnTool, settings.random().nextDouble());
      if (deadlineAt == null || settings.time().now().plus(delay).isBefore(deadlineAt)) {
        node.state = CallNode.State.WAITING_RETRY;
        node.retryTimer = settings.time().schedule(delay, () -> onRetryDue(node));
        int next = node.attempt + 1;
        fire(l -> l.onRetryScheduled(node, next, delay));
        return;
      }
    }
    if (!stopping) {
      Tool<?, ?> alternative = alternativeFor(node, error);
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

  private @Nullable Tool<?, ?> alternativeFor(CallNode node, Throwable error) {
    try {
      return settings.fallback().alternativeAfterFailure(node, error, node.triedTools());
    } catch (RuntimeException e) {
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
          attempt.cancel();
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
    while (ready.poll() != null) {
      // drop what was ready; every node is final now
    }
  }

  private void finish(
      CallNode node, CallStatus status, @Nullable Object value, @Nullable Throwable error) {
    node.state = CallNode.State.DONE;
    unfinished--;
    Instant now = settings.time().now();
    CallResult<?> result =
        new CallResult<>(
            node.call.id(),
            node.tool.name(),
            status,
            value,
            error,
            node.attempt,
            node.queuedAt != null ? node.queuedAt : now,
            node.startedAt,
            now,
            node.fallbackFrom,
            node.cacheHit);
    node.result = result;
    node.current = null;
    ready.onFinished(node, result);
    if (node.span != null) {
      CallSpans.endCall(node.span, result, settings.recordPayloads());
    }
    if (status == CallStatus.SKIPPED) {
      fire(l -> l.onSkipped(node, result));
    } else {
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
    } else if (!stopping && failureMode == FailureMode.CONTINUE) {
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
        if (dependent.state == CallNode.State.PENDING) {
          dependent.state = CallNode.State.DONE;
          unfinished--;
          Instant now = settings.time().now();
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
                  false);
          dependent.result = result;
          ready.onFinished(dependent, result);
          fire(l -> l.onSkipped(dependent, result));
          work.add(dependent);
        }
      }
    }
  }

  private void completeIfDone(Effects fx) {
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
      // nothing to lose here
    }
    Instant end = settings.time().now();
    List<CallResult<?>> results = new ArrayList<>(nodes.length);
    for (CallNode node : nodes) {
      results.add(node.result);
    }
    RunResult runResult = new RunResult(id, results, RunReport.of(startedAt, end, results));
    if (span != null) {
      CallSpans.endRun(span, runResult, end);
    }
    fx.add(
        () -> {
          fire(l -> l.onRunFinished(runResult));
          onEnd.run();
          result.complete(runResult);
        });
  }

  private void fire(Consumer<dev.parallax.core.event.ExecutionListener> event) {
    if (!settings.listeners().isEmpty()) {
      Listeners.fire(settings.listeners(), event);
    }
  }

  @Override
  public String toString() {
    return "Run[" + id + ", " + plan.mode() + ", " + nodes.length + " calls]";
  }

  /** For tests of the engine: the state of every call. */
  String states() {
    return Arrays.toString(nodes);
  }
}
