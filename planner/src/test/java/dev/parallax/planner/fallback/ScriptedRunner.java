package dev.parallax.planner.fallback;

import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.VirtualTime;

/** Completes attempts of {@link ScriptedTool}s when the virtual clock reaches their end. */
final class ScriptedRunner implements CallRunner {

  private final VirtualTime time;

  ScriptedRunner(VirtualTime time) {
    this.time = time;
  }

  @Override
  public Cancellable start(AttemptExecution attempt) {
    if (!(attempt.runsTool() instanceof ScriptedTool tool)) {
      throw new AssertionError("only ScriptedTools run here, not " + attempt.runsTool());
    }
    ScriptedTool.Step step = tool.next(attempt.call().call().input());
    return attempt.completeAfter(time, step.duration(), step.value(), step.error());
  }
}
