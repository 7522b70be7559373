package dev.parallax.samples.analyze;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats {@code parallax analyze} reads. */
public enum InputFormat {
  /** OTLP-JSON trace files, one {@code ExportTraceServiceRequest} per line. */
  OTLP,
  /** WfCommons WfFormat workflow instances (schema 1.5, and 1.4). */
  WFFORMAT;

  /** The name used on the command line and in reports: {@code otlp} or {@code wfformat}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The format named {@code value} (case-insensitive).
   *
   * @throws BadInputException naming the value and the known formats
   */
  public static InputFormat parse(String value) {
    for (InputFormat format : values()) {
      if (format.label().equalsIgnoreCase(value.trim())) {
        return format;
      }
    }
    throw new BadInputException(
        "unknown format '"
            + value
            + "' for --format: expected one of "
            + Arrays.stream(values()).map(InputFormat::label).collect(Collectors.joining(", ")));
  }
}
