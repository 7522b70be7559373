package dev.parallax.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The default features of a call's input: its size in bytes as JSON ({@value #BYTES}) and its
 * number of arguments ({@value #COUNT}: members of a JSON object, elements of an array, else 1). An
 * input that cannot be written as JSON gets its {@code toString()} length and a count of 1.
 */
public final class ArgumentFeatures {

  /** Feature name of the argument size in bytes. */
  public static final String BYTES = "arg_bytes";

  /** Feature name of the number of arguments. */
  public static final String COUNT = "arg_count";

  private static final ObjectMapper JSON = dev.parallax.core.internal.Json.MAPPER;

  private ArgumentFeatures() {}

  /** The default features of {@code input}. */
  public static Map<String, Double> of(Object input) {
    if (input instanceof CharSequence text) {
      return Map.of(
          BYTES, (double) text.toString().getBytes(StandardCharsets.UTF_8).length + 2, COUNT, 1.0);
    }
    if (input instanceof Number || input instanceof Boolean) {
      return Map.of(BYTES, (double) input.toString().length(), COUNT, 1.0);
    }
    JsonNode tree;
    try {
      tree = input instanceof JsonNode node ? node : JSON.valueToTree(input);
    } catch (RuntimeException | StackOverflowError e) {
      return Map.of(BYTES, (double) String.valueOf(input).length(), COUNT, 1.0);
    }
    double bytes = tree.toString().getBytes(StandardCharsets.UTF_8).length;
    double count = tree.isContainerNode() ? tree.size() : 1;
    return Map.of(BYTES, bytes, COUNT, count);
  }
}
