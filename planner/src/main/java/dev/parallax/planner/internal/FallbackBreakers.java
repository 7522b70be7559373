package dev.parallax.planner.internal;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.time.TimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One Resilience4j circuit breaker per tool, on an injected clock, fed with the outcomes of the
 * attempts that ran on each tool.
 *
 * <p>Resilience4j reads time in exactly two places, both injectable: the config's {@code clock}
 * (when an open circuit may turn half-open; time-based sliding windows) and its {@code
 * currentTimestampFunction}. Both are set here from a {@link TimeSource}, so the breakers follow
 * virtual time. Three options would make it use threads or the system clock instead, and are
 * refused: the automatic transition from open to half-open (a scheduler thread), a maximum wait in
 * half-open (a scheduler thread), and a time-based window with the lock-free strategy (it reads the
 * system clock). Without them a breaker has no thread: an open circuit turns half-open when a
 * permit is asked for after the wait.
 *
 * <p>Permits: a call asks its tool's breaker for a permit before it runs on it ({@link
 * #tryAcquire}); a half-open breaker hands out only its configured number. The permit is given back
 * by the attempt's outcome ({@link #attemptFailed}, {@link #finished} on success) or, if the call
 * ended without an outcome on that tool (cancelled, cut by the run's deadline, answered from the
 * cache), released unused. Which calls hold a permit or run an attempt is tracked only once {@link
 * #listening()} was called, i.e. when the owner receives listener events; otherwise nothing would
 * ever clear it.
 *
 * <p>Thread-safe. Internal; may change at any time.
 */
public final class FallbackBreakers {

  private static final long NEVER = Long.MIN_VALUE;

  /** What is known of a call's current attempt on a tool with a breaker. */
  private record Flight(long startNanos, @Nullable CircuitBreaker permit) {}

  private final Map<String, CircuitBreaker> byTool;
  private final TimeSource time;
  private final ConcurrentHashMap<PendingCall, Flight> flights = new ConcurrentHashMap<>();
  private volatile boolean listening;

  /**
   * Makes one breaker per named tool.
   *
   * @param config checked with {@link #requireDeterministic}; its clock and timestamp function are
   *     replaced by readings of {@code time}
   */
  public FallbackBreakers(
      Collection<String> toolNames, CircuitBreakerConfig config, TimeSource time) {
    this.time = Objects.requireNonNull(time, "time");
    CircuitBreakerConfig timed =
        CircuitBreakerConfig.from(requireDeterministic(config))
            .clock(new TimeSourceClock(time))
            .currentTimestampFunction(clock -> time.nanoTime(), TimeUnit.NANOSECONDS)
            .build();
    Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    for (String name : toolNames) {
      breakers.put(name, CircuitBreaker.of(name, timed));
    }
    this.byTool = Map.copyOf(breakers);
  }

  /**
   * Returns the config if a breaker built from it runs without threads of its own and reads only
   * the injected clock.
   *
   * @throws IllegalArgumentException naming the option that prevents it
   */
  public static CircuitBreakerConfig requireDeterministic(CircuitBreakerConfig config) {
    Objects.requireNonNull(config, "config");
    if (config.isAutomaticTransitionFromOpenToHalfOpenEnabled()) {
      throw new IllegalArgumentException(
          "breaker config: automaticTransitionFromOpenToHalfOpenEnabled=true starts a scheduler"
              + " thread; leave it false (an open circuit turns half-open on the next call after"
              + " the wait)");
    }
    if (!config.getMaxWaitDurationInHalfOpenState().isZero()) {
      throw new IllegalArgumentException(
          "breaker config: maxWaitDurationInHalfOpenState="
              + config.getMaxWaitDurationInHalfOpenState()
              + " starts a scheduler thread; leave it zero");
    }
    if (config.getSlidingWindowType() == SlidingWindowType.TIME_BASED
        && config.getSlidingWindowSynchronizationStrategy()
            == SlidingWindowSynchronizationStrategy.LOCK_FREE) {
      throw new IllegalArgumentException(
          "breaker config: a TIME_BASED sliding window with the LOCK_FREE strategy reads the"
              + " system clock, not the injected time source; use SYNCHRONIZED");
    }
    return config;
  }

  /** Starts tracking permits and attempts: the owner now receives listener events. */
  public void listening() {
    if (!listening) {
      listening = true;
    }
  }

  /** Whether {@link #listening()} was called. */
  public boolean isListening() {
    return listening;
  }

  /** The breaker of the named tool, or {@code null} if the tool has none. */
  public @Nullable CircuitBreaker breaker(String toolName) {
    return byTool.get(toolName);
  }

  /**
   * Asks the tool's breaker whether {@code call} may run on it, taking a permit if so. A tool
   * without a breaker may always run.
   */
  public boolean tryAcquire(PendingCall call, String toolName) {
    CircuitBreaker breaker = byTool.get(toolName);
    if (breaker == null) {
      return true;
    }
    if (!breaker.tryAcquirePermission()) {
      return false;
    }
    if (listening) {
      flights.put(call, new Flight(NEVER, breaker));
    }
    return true;
  }

  /** An attempt of the call started on its current tool. */
  public void attemptStarted(PendingCall call) {
    if (listening && byTool.containsKey(call.tool().name())) {
      long now = time.nanoTime();
      flights.compute(call, (c, f) -> new Flight(now, f == null ? null : f.permit()));
    }
  }

  /** An attempt of the call failed on its current tool: an error for that tool's breaker. */
  public void attemptFailed(PendingCall call, Throwable error) {
    Flight flight = flights.remove(call);
    CircuitBreaker breaker = byTool.get(call.tool().name());
    if (breaker != null) {
      breaker.onError(elapsed(flight), TimeUnit.NANOSECONDS, error);
    }
  }

  /**
   * The call has its final result: a success for the breaker of the tool that answered, or, if the
   * call ended without an outcome on the tool it held a permit of, that permit back.
   */
  public void finished(PendingCall call, CallResult<?> result) {
    Flight flight = flights.remove(call);
    if (flight == null) {
      return; // its last outcome was recorded already (a failure) or it is not tracked
    }
    CircuitBreaker breaker = byTool.get(result.tool());
    if (breaker != null && result.status() == CallStatus.SUCCEEDED && !result.cacheHit()) {
      breaker.onSuccess(elapsed(flight), TimeUnit.NANOSECONDS);
    } else if (flight.permit() != null) {
      flight.permit().releasePermission();
    }
  }

  /** Calls holding a permit or running an attempt on a tool with a breaker (for tests). */
  public int tracked() {
    return flights.size();
  }

  private long elapsed(@Nullable Flight flight) {
    if (flight == null || flight.startNanos() == NEVER) {
      return 0;
    }
    return Math.max(0, time.nanoTime() - flight.startNanos());
  }
}
