/**
 * Models that predict each call's latency and chance of success, per-tool baselines and the
 * adaptive concurrency limiter. Not yet built (see the adaptive issue).
 */
@NullMarked
package dev.parallax.adaptive;

import org.jspecify.annotations.NullMarked;
