/** Lifecycle events of runs and calls: {@link dev.parallax.core.event.ExecutionListener}. */
@NullMarked
package dev.parallax.core.event;

import org.jspecify.annotations.NullMarked;
