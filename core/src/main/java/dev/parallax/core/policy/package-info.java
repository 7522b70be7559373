/**
 * Policies that shape a run: {@link dev.parallax.core.policy.RetryPolicy} and {@link
 * dev.parallax.core.policy.FailureMode}. Policies are immutable and thread-safe; their builders are
 * not.
 */
@NullMarked
package dev.parallax.core.policy;

import org.jspecify.annotations.NullMarked;
