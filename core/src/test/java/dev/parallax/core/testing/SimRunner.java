package dev.parallax.core.testing;

import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.VirtualTime;

/**
 * Runs {@link SimTool}s in virtual time: an attempt completes when the clock reaches its start plus
 * the scripted duration; other tools run on a real virtual thread.
 */
public final class SimRunner implements CallRunner {

  private final VirtualTime time;

  public SimRunner(VirtualTime time) {
    this.time = time;
  }

  @Override
  public Cancellable start(AttemptExecution attempt) {
    if (!(attempt.runsTool() instanceof SimTool tool)) {
      return CallRunner.virtualThreads().start(attempt);
    }
    Object input = attempt.call().call().input();
    SimTool.Step step = tool.step(input, attempt.attempt());
    return attempt.completeAfter(time, step.duration(), step.value(), step.error());
  }
}
