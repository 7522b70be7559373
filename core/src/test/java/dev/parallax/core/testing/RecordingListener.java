package dev.parallax.core.testing;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.spi.PendingCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every event as a short string, in the order delivered. Thread-safe. */
public final class RecordingListener implements ExecutionListener {

  private final List<String> events = new ArrayList<>();
  private final Map<String, AtomicInteger> finishedPerCall = new ConcurrentHashMap<>();

  private synchronized void add(String event) {
    events.add(event);
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** Events of one call, in order. */
  public synchronized List<String> eventsOf(String callId) {
    return events.stream()
        .filter(e -> e.endsWith(" " + callId) || e.contains(" " + callId + " "))
        .toList();
  }

  /** How many final events (finished or skipped) each call got. */
  public Map<String, AtomicInteger> finishedPerCall() {
    return finishedPerCall;
  }

  @Override
  public void onRunStarted(String runId, int calls) {
    add("run-started " + calls);
  }

  @Override
  public void onQueued(PendingCall call) {
    add("queued " + call.callId());
  }

  @Override
  public void onStarted(PendingCall call, int attempt) {
    add("started#" + attempt + " " + call.callId());
  }

  @Override
  public void onAttemptFailed(PendingCall call, int attempt, Throwable error) {
    add("attempt-failed#" + attempt + " " + call.callId());
  }

  @Override
  public void onRetryScheduled(PendingCall call, int nextAttempt, Duration delay) {
    add("retry#" + nextAttempt + "@" + delay.toMillis() + "ms " + call.callId());
  }

  @Override
  public void onFinished(PendingCall call, CallResult<?> result) {
    finishedPerCall.computeIfAbsent(call.callId(), k -> new AtomicInteger()).incrementAndGet();
    add(result.status().name().toLowerCase() + " " + call.callId());
  }

  @Override
  public void onSkipped(PendingCall call, CallResult<?> result) {
    finishedPerCall.computeIfAbsent(call.callId(), k -> new AtomicInteger()).incrementAndGet();
    add("skipped " + call.callId());
  }

  @Override
  public void onRunFinished(RunResult result) {
    add("run-finished");
  }
}
