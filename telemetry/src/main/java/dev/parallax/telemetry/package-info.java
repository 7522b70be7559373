/**
 * The OpenTelemetry SDK side of Parallax: turns ended tool spans into execution records, exports
 * metrics and reads and writes OTLP-JSON trace files. Not yet built (see the telemetry issue).
 */
@NullMarked
package dev.parallax.telemetry;

import org.jspecify.annotations.NullMarked;
