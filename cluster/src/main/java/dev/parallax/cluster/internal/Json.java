package dev.parallax.cluster.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Inputs as JSON: canonical (sorted members) for cache keys, plain for sending arguments to another
 * member. Internal; may change at any time.
 */
public final class Json {

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private static final ObjectMapper PLAIN = new ObjectMapper();

  private Json() {}

  /**
   * The cache key of a call: the tool's name and its input as canonical JSON.
   *
   * @throws IllegalArgumentException naming the tool and the input's class (never the input) if the
   *     input cannot be written as JSON
   */
  public static String cacheKey(String tool, Object input) {
    try {
      // a JsonNode's object members keep their order: normalise through a tree of sorted maps
      Object value = CANONICAL.treeToValue(CANONICAL.valueToTree(input), Object.class);
      return tool + '\u0000' + CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          "the input of tool '"
              + tool
              + "' (a "
              + input.getClass().getName()
              + ") cannot be written as JSON",
          e);
    }
  }

  /** The input as JSON arguments, to be parsed again by the other member's registry. */
  public static String arguments(Object input) throws JsonProcessingException {
    return PLAIN.writeValueAsString(input);
  }
}
