/**
 * Implementation of {@code dev.parallax.analysis}: the readers, the latency model's training and
 * scoring, the schedule comparison. Internal; may change at any time.
 */
@NullMarked
package dev.parallax.analysis.internal;

import org.jspecify.annotations.NullMarked;
