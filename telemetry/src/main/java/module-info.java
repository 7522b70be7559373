/**
 * Parallax telemetry: the OpenTelemetry SDK side — execution records from tool spans, tool metrics,
 * one-line SDK setup with OTLP export, and OTLP-JSON trace files.
 */
module dev.parallax.telemetry {
  requires transitive dev.parallax.core;
  requires transitive io.opentelemetry.sdk;
  requires transitive io.opentelemetry.sdk.common;
  requires transitive io.opentelemetry.sdk.metrics;
  requires transitive io.opentelemetry.sdk.trace;
  requires io.opentelemetry.exporter.otlp;
  requires io.opentelemetry.proto;
  requires com.google.protobuf;
  requires com.google.protobuf.util;
  requires java.logging;

  exports dev.parallax.telemetry;
  exports dev.parallax.telemetry.file;
  exports dev.parallax.telemetry.metrics;
  exports dev.parallax.telemetry.record;
}
