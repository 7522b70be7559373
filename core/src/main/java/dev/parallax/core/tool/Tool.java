package dev.parallax.core.tool;

import org.jspecify.annotations.Nullable;

/**
 * A tool an agent can call: a named function from an input to an output.
 *
 * <p>A tool may throw anything; the executor turns what it throws into a {@code FAILED} (or, for a
 * timeout, {@code TIMED_OUT}) result and never lets it escape. A tool runs on a virtual thread, so
 * blocking I/O is fine; it should honour interruption (and {@link ToolContext#isCancelled()}) so
 * that timeouts and cancellation can stop it. A tool that ignores interruption still gets its
 * result reported on time, but its thread runs on until the tool returns.
 *
 * <p>Most tools are built with {@link Tools#named(String)}; implement this interface directly when
 * a tool needs state of its own. Implementations must be thread-safe unless {@link
 * ToolSpec#concurrencySafe()} is {@code false}.
 *
 * @param <I> the input type
 * @param <O> the output type; a tool may return {@code null}, which is a successful result with no
 *     value
 */
public interface Tool<I, O> {

  /** The name, description and declared properties of this tool. */
  ToolSpec spec();

  /**
   * Runs the tool once.
   *
   * @param input the call's input
   * @param context the call id, attempt number, deadline, cancellation and dependency results
   * @return the output, or {@code null} for no value
   * @throws Exception anything; the executor records it in the call's result
   */
  @Nullable O call(I input, ToolContext context) throws Exception;

  /**
   * The numeric features of an input, recorded on the call's span and in its execution record when
   * tracing is on. By default its size in bytes as JSON and its number of arguments (see {@link
   * ArgumentFeatures}).
   */
  default java.util.Map<String, Double> features(I input) {
    return ArgumentFeatures.of(input);
  }

  /** Shorthand for {@code spec().name()}. */
  default String name() {
    return spec().name();
  }
}
