/**
 * A backend with a capacity, simulated in virtual time by discrete events, and the concurrency
 * limiters compared against it: fixed limits, Parallax's {@code AdaptiveLimit} and Netflix
 * concurrency-limits. Pure simulation: no threads, no clock.
 */
@NullMarked
package dev.parallax.samples.bench.capacity;

import org.jspecify.annotations.NullMarked;
