package dev.parallax.telemetry.file;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Hand-written OTLP/JSON lines, as other OpenTelemetry sources write them. */
final class OtlpLines {

  static final String TRACE = "5b8efff798038103d269b633813fc60c";

  private OtlpLines() {}

  /** One export request with one resource and scope holding these spans. */
  static String request(String... spans) {
    return """
        {"resourceSpans":[{"resource":{"attributes":[%s]},"scopeSpans":[{"scope":{"name":"other-agent"},"spans":[%s]}]}]}"""
        .formatted(attr("service.name", "other-agent"), String.join(",", spans));
  }

  /** A span of {@link #TRACE} from 1 s to 3 s after the epoch; {@code extra} adds fields. */
  static String span(String spanId, String parentSpanId, String name, String extra) {
    return """
        {"traceId":"%s","spanId":"%s","parentSpanId":"%s","name":"%s","kind":1,\
        "startTimeUnixNano":"1000000000","endTimeUnixNano":"3000000000"%s}"""
        .formatted(TRACE, spanId, parentSpanId, name, extra.isEmpty() ? "" : "," + extra);
  }

  /** {@code "attributes":[...]}. */
  static String attributes(String... attributes) {
    return "\"attributes\":[" + String.join(",", attributes) + "]";
  }

  static String attr(String key, String value) {
    return "{\"key\":\"%s\",\"value\":{\"stringValue\":\"%s\"}}".formatted(key, value);
  }

  static String attr(String key, long value) {
    return "{\"key\":\"%s\",\"value\":{\"intValue\":\"%d\"}}".formatted(key, value);
  }

  /** The lines joined with line breaks, and one at the end. */
  static String file(String... lines) {
    return Arrays.stream(lines).collect(Collectors.joining("\n", "", "\n"));
  }
}
