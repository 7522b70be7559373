/**
 * Trace files in OTLP/JSON, the OpenTelemetry exchange format: one {@code
 * ExportTraceServiceRequest} per line, as the OpenTelemetry Collector's file exporter writes them.
 *
 * <p>{@link dev.parallax.telemetry.file.OtlpJsonFileSpanExporter} writes such a file from the
 * OpenTelemetry SDK; {@link dev.parallax.telemetry.file.TraceFileReader} reads one, written by
 * Parallax or by any other OpenTelemetry source, into {@link
 * dev.parallax.core.record.ExecutionRecord}s and a {@link dev.parallax.telemetry.file.SpanGraph} of
 * spans grouped into runs.
 */
@NullMarked
package dev.parallax.telemetry.file;

import org.jspecify.annotations.NullMarked;
