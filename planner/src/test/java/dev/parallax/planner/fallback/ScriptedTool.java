package dev.parallax.planner.fallback;

import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A tool whose attempts follow a script (input → duration and value or error), completed in virtual
 * time by {@link ScriptedRunner}. Calling it on a real thread is a test bug.
 */
final class ScriptedTool implements Tool<Object, Object> {

  /** What one attempt does. */
  record Step(Duration duration, @Nullable Object value, @Nullable Throwable error) {
    static Step ok(long millis, Object value) {
      return new Step(Duration.ofMillis(millis), value, null);
    }

    static Step fail(long millis, Throwable error) {
      return new Step(Duration.ofMillis(millis), null, error);
    }
  }

  private final ToolSpec spec;
  private final Function<@Nullable Object, Step> script;
  private final AtomicInteger runs = new AtomicInteger();

  ScriptedTool(String name, Set<String> capabilities, Function<@Nullable Object, Step> script) {
    this.spec =
        ToolSpec.builder(name)
            .description("scripted " + name)
            .idempotent(true)
            .capabilities(capabilities)
            .build();
    this.script = script;
  }

  /** Succeeds after {@code millis} with {@code name:input}. */
  static ScriptedTool healthy(String name, long millis, String... capabilities) {
    return new ScriptedTool(name, Set.of(capabilities), in -> Step.ok(millis, name + ":" + in));
  }

  /** Fails every attempt after {@code millis} with the given error. */
  static ScriptedTool failing(String name, long millis, Throwable error, String... capabilities) {
    return new ScriptedTool(name, Set.of(capabilities), in -> Step.fail(millis, error));
  }

  /** How many attempts ran on this tool. */
  int runs() {
    return runs.get();
  }

  Step next(@Nullable Object input) {
    runs.incrementAndGet();
    return script.apply(input);
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public Object call(Object input, ToolContext context) {
    throw new AssertionError("ScriptedTool " + spec.name() + " must run under ScriptedRunner");
  }

  @Override
  public String toString() {
    return "ScriptedTool[" + spec.name() + "]";
  }
}
