/**
 * The seams where smarter modules plug into the executor without changing it: which ready call runs
 * next ({@link dev.parallax.core.spi.SchedulingPolicy}), how many run at once ({@link
 * dev.parallax.core.spi.AdmissionControl}), where a call runs ({@link
 * dev.parallax.core.spi.CallRunner}), result reuse ({@link dev.parallax.core.spi.ResultCache}),
 * what runs instead of a failing tool ({@link dev.parallax.core.spi.FallbackPolicy}) and
 * predictions ({@link dev.parallax.core.spi.Predictor}). Every seam has a simple default in core.
 */
@NullMarked
package dev.parallax.core.spi;

import org.jspecify.annotations.NullMarked;
