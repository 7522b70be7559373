/**
 * Adaptive concurrency limits: pure state machines fed with samples, and the admission control that
 * puts them behind core's admission seam.
 */
@NullMarked
package dev.parallax.adaptive.limit;

import org.jspecify.annotations.NullMarked;
