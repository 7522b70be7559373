/**
 * Fallback tool swaps: alternatives declared per tool ({@code chain}) or per capability, chosen
 * before a call starts when its tool is predicted to fail or its circuit breaker is open, and after
 * its tool failed its last attempt. Start at {@link dev.parallax.planner.fallback.ToolFallbacks}.
 */
@NullMarked
package dev.parallax.planner.fallback;

import org.jspecify.annotations.NullMarked;
