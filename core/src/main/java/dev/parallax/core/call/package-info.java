/**
 * Calls, plans and results: what the caller hands to the executor ({@link
 * dev.parallax.core.call.ToolCall}, {@link dev.parallax.core.call.CallGraph}, {@link
 * dev.parallax.core.call.ExecutionPlan}) and what comes back ({@link
 * dev.parallax.core.call.CallResult}, {@link dev.parallax.core.call.RunResult}, {@link
 * dev.parallax.core.call.RunReport}).
 */
@NullMarked
package dev.parallax.core.call;

import org.jspecify.annotations.NullMarked;
