package dev.parallax.analysis;

import java.util.Locale;

/** The trace formats the analysis reads; each has a {@link TraceReader} in {@link TraceReaders}. */
public enum InputFormat {
  /** OTLP-JSON trace files, one {@code ExportTraceServiceRequest} per line. */
  OTLP,
  /** WfCommons WfFormat workflow instances (schema 1.5, and 1.4). */
  WFFORMAT;

  /** The name used on the command line and in reports: {@code otlp} or {@code wfformat}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
