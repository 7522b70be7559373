package dev.parallax.planner.cache;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.tool.Tool;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A preload's permit from the executor's admission control: the preload is opened as a run of its
 * own with one call, so limits shared across runs (adaptive limits, a cluster's permits) count it
 * like a real call, and a tool at its limit is not preloaded. Released once, when the body ends.
 */
final class PreloadPermit implements PendingCall {

  private final Admission admission;
  private final ToolCall<?, ?> call;
  private final Tool<?, ?> tool;

  private PreloadPermit(Admission admission, ToolCall<?, ?> call, Tool<?, ?> tool) {
    this.admission = admission;
    this.call = call;
    this.tool = tool;
  }

  /**
   * Asks for a permit for a preload of {@code tool} with {@code input}; {@code null} if refused
   * (the admission is then closed). Never waits.
   */
  @SuppressWarnings("unchecked")
  static @Nullable PreloadPermit take(
      AdmissionControl control, String id, Tool<?, ?> tool, Object input) {
    Admission admission = control.open(id, () -> {});
    PreloadPermit permit =
        new PreloadPermit(admission, ToolCall.of(id, (Tool<Object, ?>) tool, input), tool);
    boolean admitted = false;
    try {
      admitted = admission.tryAcquire(permit);
    } finally {
      if (!admitted) {
        admission.close();
      }
    }
    return admitted ? permit : null;
  }

  /** The preload's body ended after {@code nanos}, as {@code outcome}: gives the permit back. */
  void release(AttemptSample.Outcome outcome, long nanos) {
    try {
      admission.release(this, AttemptSample.of(tool.name(), Duration.ofNanos(nanos), outcome, 1));
    } finally {
      admission.close();
    }
  }

  @Override
  public String runId() {
    return call.id();
  }

  @Override
  public int index() {
    return 0;
  }

  @Override
  public ToolCall<?, ?> call() {
    return call;
  }

  @Override
  public Tool<?, ?> tool() {
    return tool;
  }

  @Override
  public List<String> dependsOn() {
    return List.of();
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public @Nullable Prediction prediction() {
    return null;
  }
}
