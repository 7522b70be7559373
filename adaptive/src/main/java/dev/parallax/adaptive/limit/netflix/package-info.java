/**
 * Netflix concurrency-limits' algorithms behind Parallax's {@link
 * dev.parallax.adaptive.limit.ConcurrencyLimit}. Uses the optional dependency {@code
 * com.netflix.concurrency-limits:concurrency-limits-core}: only this package needs it.
 */
@NullMarked
package dev.parallax.adaptive.limit.netflix;

import org.jspecify.annotations.NullMarked;
