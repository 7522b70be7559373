/** Names of the spans and attributes the executor emits, for readers of its traces. */
@NullMarked
package dev.parallax.core.trace;

import org.jspecify.annotations.NullMarked;
