/**
 * Injectable time: {@link dev.parallax.core.time.TimeSource} is the clock and timer every part of
 * the executor uses, so tests and the simulator run in {@link dev.parallax.core.time.VirtualTime}.
 */
@NullMarked
package dev.parallax.core.time;

import org.jspecify.annotations.NullMarked;
