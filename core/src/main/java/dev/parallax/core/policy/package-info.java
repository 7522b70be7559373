/**
 * Policies that shape a run: {@link dev.parallax.core.policy.RetryPolicy}, {@link
 * dev.parallax.core.policy.FailureMode}, and {@link dev.parallax.core.policy.ToolPolicy} for what
 * differs by tool or capability. Policies are immutable and thread-safe; their builders are not.
 */
@NullMarked
package dev.parallax.core.policy;

import org.jspecify.annotations.NullMarked;
