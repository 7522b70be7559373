/**
 * Backends with a capacity and the concurrency limiters compared on them: a real HTTP server on
 * loopback with a bounded worker pool, an M/M/c queue with client timeouts in virtual time, fixed
 * limits, Parallax's {@code AdaptiveLimit} and Netflix concurrency-limits' algorithms swept.
 */
@NullMarked
package dev.parallax.samples.bench.capacity;

import org.jspecify.annotations.NullMarked;
