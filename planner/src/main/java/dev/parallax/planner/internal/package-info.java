/**
 * Helpers of the planner's public packages. Everything here is an implementation detail that may
 * change at any time without notice; depend only on the planner's API packages.
 */
@NullMarked
package dev.parallax.planner.internal;

import org.jspecify.annotations.NullMarked;
