/**
 * Predictions of each call's latency and chance of success: Tribuo models trained in the background
 * on a sliding window of execution records, a per-tool moving-average baseline that answers
 * whenever the models cannot or do not beat it, and model files.
 *
 * <p>Start with {@link dev.parallax.adaptive.AdaptivePredictor#builder()}.
 */
@NullMarked
package dev.parallax.adaptive;

import org.jspecify.annotations.NullMarked;
