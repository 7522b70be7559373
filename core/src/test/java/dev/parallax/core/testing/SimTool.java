package dev.parallax.core.testing;

import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * A tool whose behaviour is a script of (input, attempt) → (duration, value or error), run by
 * {@link SimRunner} in virtual time. Calling it on a real thread is a test bug.
 */
public final class SimTool implements Tool<Object, Object> {

  /** What one attempt does. */
  public record Step(Duration duration, Object value, Throwable error) {
    public static Step ok(long millis, Object value) {
      return new Step(Duration.ofMillis(millis), value, null);
    }

    public static Step fail(long millis, Throwable error) {
      return new Step(Duration.ofMillis(millis), null, error);
    }
  }

  private final ToolSpec spec;
  private final BiFunction<Object, Integer, Step> script;

  public SimTool(ToolSpec spec, BiFunction<Object, Integer, Step> script) {
    this.spec = spec;
    this.script = script;
  }

  /** A tool that always succeeds after {@code millis}, returning its name and input. */
  public static SimTool fixed(String name, long millis) {
    return new SimTool(spec(name, true), (in, attempt) -> Step.ok(millis, name + ":" + in));
  }

  public static ToolSpec spec(String name, boolean idempotent) {
    return ToolSpec.builder(name).description("simulated " + name).idempotent(idempotent).build();
  }

  Step step(Object input, int attempt) {
    return script.apply(input, attempt);
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public Object call(Object input, ToolContext context) {
    throw new AssertionError("SimTool " + spec.name() + " must run under SimRunner");
  }
}
