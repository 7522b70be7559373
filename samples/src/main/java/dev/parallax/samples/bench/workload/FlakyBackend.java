package dev.parallax.samples.bench.workload;

import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two tools of the {@code flaky} workload and the runner that plays them in virtual time: the
 * primary answers after the call's primary duration and fails where the call says it does; the
 * alternative answers after the call's alternative duration and always succeeds. Nothing sleeps.
 */
final class FlakyBackend implements CallRunner {

  /** Name of the tool that fails now and then. */
  static final String PRIMARY = "search_primary";

  /** Name of the healthy alternative. */
  static final String ALTERNATIVE = "search_mirror";

  /**
   * One call: how each tool would behave on it, decided once so every policy sees the same calls.
   *
   * @param id the call's id
   * @param primary how long the primary takes
   * @param primaryFails whether the primary fails on it
   * @param alternative how long the alternative takes
   */
  record FlakyCall(String id, Duration primary, boolean primaryFails, Duration alternative) {}

  /** What a failed primary throws. */
  static final class PrimaryFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PrimaryFailure(String callId) {
      super("primary failed on " + callId, null, false, false);
    }
  }

  private final VirtualTime time;
  private final AtomicLong started = new AtomicLong();
  private final Tool<FlakyCall, String> primary = tool(PRIMARY);
  private final Tool<FlakyCall, String> alternative = tool(ALTERNATIVE);

  FlakyBackend(VirtualTime time) {
    this.time = time;
  }

  Tool<FlakyCall, String> primary() {
    return primary;
  }

  Tool<FlakyCall, String> alternative() {
    return alternative;
  }

  /** Attempts started so far, of either tool. */
  long started() {
    return started.get();
  }

  @Override
  public Cancellable start(AttemptExecution attempt) {
    FlakyCall call = (FlakyCall) attempt.call().call().input();
    if (call == null) {
      throw new IllegalStateException("not a flaky call: " + attempt.call().callId());
    }
    started.incrementAndGet();
    boolean isPrimary = attempt.call().tool().name().equals(PRIMARY);
    Duration duration = isPrimary ? call.primary() : call.alternative();
    return isPrimary && call.primaryFails()
        ? attempt.completeAfter(time, duration, null, new PrimaryFailure(call.id()))
        : attempt.completeAfter(
            time, duration, attempt.call().tool().name() + " answered " + call.id(), null);
  }

  private static Tool<FlakyCall, String> tool(String name) {
    return Tools.named(name)
        .description("simulated " + name)
        .input(FlakyCall.class)
        .function(
            (call, context) -> {
              throw new IllegalStateException(
                  "simulated tool " + name + " runs only in virtual time");
            });
  }
}
