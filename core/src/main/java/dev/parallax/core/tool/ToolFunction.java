package dev.parallax.core.tool;

import org.jspecify.annotations.Nullable;

/**
 * The body of a tool built with {@link Tools#named(String)}.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface ToolFunction<I, O> {

  /** Runs the tool once; see {@link Tool#call(Object, ToolContext)}. */
  @Nullable O apply(I input, ToolContext context) throws Exception;
}
