package dev.parallax.analysis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Lenient readers of JSON values found in workflow instances, and seconds. Stateless. Internal; may
 * change at any time.
 */
public final class Json {

  private Json() {}

  /** A number, or a string holding one; {@code null} otherwise. */
  public static @Nullable Double number(JsonNode node) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      try {
        return Double.parseDouble(node.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** A string that is not blank, or {@code null}. */
  public static @Nullable String text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }

  /** The strings of an array that are not blank (nothing if it is not an array). */
  public static List<String> texts(JsonNode node) {
    List<String> texts = new ArrayList<>();
    for (JsonNode item : node) {
      if (item.isTextual() && !item.asText().isBlank()) {
        texts.add(item.asText());
      }
    }
    return texts;
  }

  /**
   * An ISO-8601 timestamp, with an offset or without (read as UTC); {@code null} if absent or in a
   * form the JDK does not read.
   */
  public static @Nullable Instant instant(JsonNode node) {
    String text = text(node);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      // try without an offset
    }
    try {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** Seconds as a duration, to the nanosecond. */
  public static Duration seconds(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** A duration in seconds. */
  public static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
