package dev.parallax.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.core.internal.SortedFeatures;
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
      return features(text.toString().getBytes(StandardCharsets.UTF_8).length + 2, 1);
    }
    if (input instanceof Number || input instanceof Boolean) {
      return features(input.toString().length(), 1);
    }
    JsonNode tree;
    try {
      tree = input instanceof JsonNode node ? node : JSON.valueToTree(input);
    } catch (RuntimeException | StackOverflowError e) {
      return features(String.valueOf(input).length(), 1);
    }
    double bytes = tree.toString().getBytes(StandardCharsets.UTF_8).length;
    double count = tree.isContainerNode() ? tree.size() : 1;
    return features(bytes, count);
  }

  /** Already sorted by name ({@value #BYTES} before {@value #COUNT}), as records keep features. */
  private static Map<String, Double> features(double bytes, double count) {
    return SortedFeatures.ofSorted(BYTES, bytes, COUNT, count == 1 ? ONE : Double.valueOf(count));
  }

  private static final Double ONE = 1.0;
}
