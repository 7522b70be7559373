package dev.parallax.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression (found by {@code ChaosScenariosTest}, seed 223): the result cache was handed the live
 * call, whose tool the run thread changes (a hedge for a moment, a fallback for good), so an
 * attempt of one tool could read another tool's name and store its value under that tool's key. The
 * cache now sees each attempt's own tool, fixed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheSeesTheAttemptsToolTest {

  private static final Tool<Integer, String> ALPHA =
      Tools.named("alpha")
          .input(Integer.class)
          .function(
              (n, ctx) -> {
                throw new IllegalStateException("alpha down");
              });
  private static final Tool<Integer, String> ALT =
      Tools.named("alpha_alt").input(Integer.class).function((n, ctx) -> "alt " + n);

  @Test
  void afterAFallback_theFirstAttemptsCallStillNamesItsOwnTool() {
    List<PendingCall> seen = new CopyOnWriteArrayList<>();
    ResultCache recording =
        (call, input, tool) -> {
          seen.add(call);
          return new ResultCache.Lookup(tool.call(), ResultCache.Status.NOT_CACHED);
        };
    FallbackPolicy toAlt =
        new FallbackPolicy() {
          @Override
          public Swap alternativeAfterFailure(
              PendingCall call, Throwable error, List<String> tried) {
            return tried.contains(ALT.name()) ? null : new Swap(ALT, "alpha failed");
          }
        };
    RunResult run;
    try (ToolExecutor executor =
        ToolExecutor.builder().resultCache(recording).fallback(toAlt).build()) {
      run = executor.executeParallel(List.of(ToolCall.of("c1", ALPHA, 1)));
    }

    assertThat(run.get("c1").status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(run.get("c1").value()).isEqualTo("alt 1");
    // read after the run: the live call's tool is alpha_alt by now
    assertThat(seen).extracting(c -> c.tool().name()).containsExactly("alpha", "alpha_alt");
  }
}
