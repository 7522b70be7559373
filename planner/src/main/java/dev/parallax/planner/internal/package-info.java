/**
 * Implementation of the planner's public packages. Internal: the classes here may change or
 * disappear at any time, without notice; do not use them from outside the planner.
 */
@NullMarked
package dev.parallax.planner.internal;

import org.jspecify.annotations.NullMarked;
