/** The metrics of tool calls: {@link dev.parallax.telemetry.metrics.ToolMetrics}. */
@NullMarked
package dev.parallax.telemetry.metrics;

import org.jspecify.annotations.NullMarked;
