package dev.parallax.core.conformance;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.spi.PendingCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records every lifecycle event as a short string, in delivery order, and lets a test wait for an
 * event with a bound instead of sleeping. Thread-safe.
 *
 * <p>Forms: {@code run-started N}, {@code queued ID}, {@code started#A ID}, {@code attempt-failed#A
 * ID ErrorType}, {@code retry#A ID} (the next attempt), {@code succeeded ID}, {@code failed ID},
 * {@code timed_out ID}, {@code cancelled ID}, {@code skipped ID}, {@code run-finished}.
 */
public final class EventLog implements ExecutionListener {

  private final List<String> events = new ArrayList<>();
  private final List<Duration> retryDelays = new ArrayList<>();
  private final List<RunResult> finishedRuns = new ArrayList<>();

  private synchronized void add(String event) {
    events.add(event);
    notifyAll();
  }

  /** Every event so far. */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** Whether this exact event was recorded. */
  public synchronized boolean contains(String event) {
    return events.contains(event);
  }

  /** How many events start with {@code prefix}. */
  public synchronized long count(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).count();
  }

  /** The delays of every {@code onRetryScheduled}, in order. */
  public synchronized List<Duration> retryDelays() {
    return List.copyOf(retryDelays);
  }

  /** The results handed to {@code onRunFinished}, in order. */
  public synchronized List<RunResult> finishedRuns() {
    return List.copyOf(finishedRuns);
  }

  /**
   * Waits until {@code event} has been recorded.
   *
   * @throws AssertionError listing the events seen if it is not recorded within {@link
   *     Harness#WAIT}
   */
  public synchronized void await(String event) throws InterruptedException {
    long deadline = System.nanoTime() + Harness.WAIT.toNanos();
    while (!events.contains(event)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "event '" + event + "' not seen within " + Harness.WAIT + "; events: " + events);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /**
   * Waits until one of {@code events} has been recorded and returns the first recorded.
   *
   * @throws AssertionError listing the events seen if none is recorded within {@link Harness#WAIT}
   */
  public synchronized String awaitAny(String... wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Harness.WAIT.toNanos();
    while (true) {
      for (String event : events) {
        for (String w : wanted) {
          if (event.equals(w)) {
            return w;
          }
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "none of "
                + java.util.Arrays.toString(wanted)
                + " seen within "
                + Harness.WAIT
                + "; events: "
                + events);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /**
   * Waits until at least {@code n} recorded events start with {@code prefix}.
   *
   * @throws AssertionError listing the events seen if they are not recorded within {@link
   *     Harness#WAIT}
   */
  public synchronized void awaitCount(String prefix, long n) throws InterruptedException {
    long deadline = System.nanoTime() + Harness.WAIT.toNanos();
    while (count(prefix) < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            n + " events '" + prefix + "' not seen within " + Harness.WAIT + "; events: " + events);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /**
   * Waits for the result handed to {@code onRunFinished} of the only run so far.
   *
   * @throws AssertionError if no run finishes within {@link Harness#WAIT}
   */
  public synchronized RunResult awaitRunFinished() throws InterruptedException {
    await("run-finished");
    return finishedRuns.getLast();
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
    add("attempt-failed#" + attempt + " " + call.callId() + " " + error.getClass().getSimpleName());
  }

  @Override
  public void onRetryScheduled(PendingCall call, int nextAttempt, Duration delay) {
    synchronized (this) {
      retryDelays.add(delay);
    }
    add("retry#" + nextAttempt + " " + call.callId());
  }

  @Override
  public void onFinished(PendingCall call, CallResult<?> result) {
    add(result.status().name().toLowerCase(Locale.ROOT) + " " + call.callId());
  }

  @Override
  public void onSkipped(PendingCall call, CallResult<?> result) {
    add("skipped " + call.callId());
  }

  @Override
  public void onRunFinished(RunResult result) {
    synchronized (this) {
      finishedRuns.add(result);
    }
    add("run-finished");
  }
}
