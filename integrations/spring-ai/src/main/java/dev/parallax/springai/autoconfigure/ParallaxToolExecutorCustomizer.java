package dev.parallax.springai.autoconfigure;

import dev.parallax.core.exec.ToolExecutor;

/**
 * Adjusts the {@link ToolExecutor.Builder} of the auto-configured executor after the {@code
 * parallax.tools.*} properties were applied: add a result cache, a fallback policy, a predictor, an
 * admission control. Declare one or more as beans; they run in bean order. What a customizer throws
 * stops the application at startup.
 */
@FunctionalInterface
public interface ParallaxToolExecutorCustomizer {

  /** Adjusts the builder. */
  void customize(ToolExecutor.Builder builder);
}
