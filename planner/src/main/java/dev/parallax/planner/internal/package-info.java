/**
 * Implementation of the planner. Everything here may change at any time; do not use it from outside
 * the module.
 */
@NullMarked
package dev.parallax.planner.internal;

import org.jspecify.annotations.NullMarked;
