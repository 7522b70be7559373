/**
 * The executor: {@link dev.parallax.core.exec.ToolExecutor} runs plans of tool calls in parallel,
 * sequentially, as a graph or as a batch, blocking or asynchronously, and {@link
 * dev.parallax.core.exec.ToolRun} is a run in progress.
 */
@NullMarked
package dev.parallax.core.exec;

import org.jspecify.annotations.NullMarked;
