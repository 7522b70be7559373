package dev.parallax.planner.internal;

import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.sim.SimulatedCall;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tools and the runner of a simulation: a tool per name whose input is the {@link
 * SimulatedCall} itself (its features are the call's), and a runner that completes each attempt
 * when the virtual clock reaches its start plus the call's duration, without running anything.
 */
public final class SimulatedTools implements CallRunner {

  /** What a failed simulated call throws. */
  public static final class SimulatedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedFailure(String callId) {
      super("simulated failure of " + callId, null, false, false);
    }
  }

  private final VirtualTime time;
  private final Map<String, Tool<SimulatedCall, Object>> tools = new ConcurrentHashMap<>();

  public SimulatedTools(VirtualTime time) {
    this.time = time;
  }

  /** The tool named {@code name}, the same object every time. */
  public Tool<SimulatedCall, Object> tool(String name) {
    return tools.computeIfAbsent(
        name,
        n ->
            Tools.named(n)
                .description("simulated " + n)
                .input(SimulatedCall.class)
                .features(SimulatedCall::features)
                .function(
                    (call, context) -> {
                      throw new IllegalStateException(
                          "simulated tool " + n + " runs only in the simulator");
                    }));
  }

  @Override
  public Cancellable start(AttemptExecution attempt) {
    SimulatedCall call = (SimulatedCall) attempt.call().call().input();
    if (call == null) {
      throw new IllegalStateException("not a simulated call: " + attempt.call().callId());
    }
    return call.succeeds()
        ? attempt.completeAfter(time, call.duration(), call.id(), null)
        : attempt.completeAfter(time, call.duration(), null, new SimulatedFailure(call.id()));
  }
}
