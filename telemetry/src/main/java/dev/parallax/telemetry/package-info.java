/**
 * The OpenTelemetry SDK side of Parallax. {@link dev.parallax.telemetry.ParallaxTelemetry} sets up
 * in one line an SDK whose tool spans become {@link dev.parallax.core.record.ExecutionRecord}s and
 * metrics, optionally exported over OTLP.
 */
@NullMarked
package dev.parallax.telemetry;

import org.jspecify.annotations.NullMarked;
