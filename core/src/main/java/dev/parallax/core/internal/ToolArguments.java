package dev.parallax.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import dev.parallax.core.tool.InvalidArgumentsException;
import dev.parallax.core.tool.Tool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the JSON arguments of one tool's calls become its input.
 *
 * <p>Strict by default: the text must be one JSON value (nothing after it, no duplicate keys); if
 * the tool publishes a JSON schema the value must fit it; then it is converted to the tool's input
 * type by {@link Json#STRICT} (unknown properties, missing required ones, {@code null} for a
 * required one, wrong types all fail). A tool whose input type is {@code JsonNode} takes a JSON
 * object. Every failure becomes an {@link InvalidArgumentsException} naming the property. A tool
 * that opted into lenient arguments gets the old behaviour: {@link Json#MAPPER}, first JSON value
 * only, no schema check.
 *
 * <p>Immutable and thread-safe. Internal; may change at any time.
 */
public final class ToolArguments {

  /** Reads the first JSON value of a parser and leaves the rest to us. */
  private static final ObjectReader ONE_VALUE =
      Json.STRICT.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * The strict mapper without required components: when a required property is missing, this tells
   * whether an unknown property (a misspelt name, the likely cause) is there too.
   */
  private static final ObjectMapper STRICT_ALL_OPTIONAL =
      Json.STRICT.copy().setAnnotationIntrospector(new JacksonAnnotationIntrospector());

  private final Tool<?, ?> tool;
  private final Class<?> type;
  private final boolean lenient;
  private final @Nullable JsonSchemaCheck schema;

  private ToolArguments(Tool<?, ?> tool, boolean lenient, @Nullable JsonSchemaCheck schema) {
    this.tool = tool;
    this.type = tool.spec().inputType();
    this.lenient = lenient;
    this.schema = schema;
  }

  /**
   * Prepares the arguments of a tool.
   *
   * @throws IllegalArgumentException naming the tool if the schema it publishes is not valid JSON
   *     or not a JSON schema
   */
  public static ToolArguments of(Tool<?, ?> tool) {
    String text = tool.spec().inputSchema();
    JsonSchemaCheck schema = null;
    if (text != null && !text.isBlank()) {
      try {
        schema = JsonSchemaCheck.of(Json.STRICT.readTree(text));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "tool '" + tool.name() + "' publishes an invalid input schema: " + message(e), e);
      }
    }
    return new ToolArguments(tool, tool.spec().lenientArguments(), schema);
  }

  /**
   * The input of a call from JSON text; empty or blank text means {@code {}}.
   *
   * @throws InvalidArgumentsException if the text does not fit the tool
   */
  public Object parse(String callId, String json) {
    Objects.requireNonNull(json, "jsonArguments");
    String text = json.isBlank() ? "{}" : json;
    JsonNode tree;
    if (lenient) {
      try {
        tree = Json.MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        throw invalid(callId, null, syntaxReason(e), e);
      }
    } else {
      try {
        tree = Json.STRICT.readTree(text); // fails on trailing content too
      } catch (JsonProcessingException e) {
        readOneValue(callId, text); // the error path: tells trailing content from malformed JSON
        throw invalid(callId, null, syntaxReason(e), e);
      }
    }
    if (tree == null || tree.isMissingNode()) {
      tree = Json.MAPPER.createObjectNode();
    }
    return convert(callId, tree);
  }

  /** Reads exactly one JSON value: anything but whitespace after it is an error. */
  private JsonNode readOneValue(String callId, String text) {
    try (JsonParser parser = Json.STRICT.createParser(text)) {
      JsonNode tree;
      try {
        tree = ONE_VALUE.readTree(parser);
      } catch (JsonProcessingException e) {
        throw invalid(callId, null, syntaxReason(e), e);
      }
      long end = parser.currentLocation().getCharOffset();
      try {
        if (parser.nextToken() == null) {
          return tree;
        }
      } catch (JsonProcessingException e) {
        // not even a token: still content after the value
      }
      throw invalid(
          callId,
          null,
          "there is content after the JSON value, from character "
              + end
              + ": "
              + excerpt(text.substring((int) Math.min(Math.max(end, 0), text.length())).strip()),
          null);
    } catch (IOException e) {
      throw invalid(callId, null, "malformed JSON: " + message(e), e);
    }
  }

  private static String excerpt(String rest) {
    return rest.length() <= 40 ? rest : rest.substring(0, 40) + "...";
  }

  /**
   * The input of a call from parsed JSON.
   *
   * @throws InvalidArgumentsException if the value does not fit the tool
   */
  public Object convert(String callId, JsonNode arguments) {
    Objects.requireNonNull(arguments, "arguments");
    if (!lenient && schema != null) {
      JsonSchemaCheck.Problem problem = schema.check(arguments);
      if (problem != null) {
        throw invalid(callId, problem.path(), problem.message(), null);
      }
    }
    if (type.isInstance(arguments)) {
      if (!lenient && type == JsonNode.class && !arguments.isObject()) {
        throw invalid(
            callId,
            null,
            "the arguments must be a JSON object, were " + JsonSchemaCheck.describe(arguments),
            null);
      }
      return arguments;
    }
    ObjectMapper mapper = lenient ? Json.MAPPER : Json.STRICT;
    Object input;
    try {
      input = mapper.treeToValue(arguments, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw mappingProblem(callId, arguments, misspelling(arguments, e));
    }
    if (input == null) {
      throw invalid(callId, null, "the arguments must not be null", null);
    }
    return input;
  }

  /**
   * A missing required property is often a misspelt one ({@code town} for {@code city}): report the
   * unknown property then, it tells the model more. Only on the error path.
   */
  private Exception misspelling(JsonNode arguments, Exception e) {
    if (e instanceof MismatchedInputException
        && message(e).startsWith("Missing required creator property")) {
      try {
        STRICT_ALL_OPTIONAL.treeToValue(arguments, type);
      } catch (UnrecognizedPropertyException unknown) {
        return unknown;
      } catch (JsonProcessingException | IllegalArgumentException other) {
        return e;
      }
    }
    return e;
  }

  private InvalidArgumentsException mappingProblem(String callId, JsonNode arguments, Exception e) {
    if (!(e instanceof JsonMappingException mapping)) {
      return invalid(callId, null, message(e), e);
    }
    String path = path(mapping.getPath());
    String reason;
    if (e instanceof UnrecognizedPropertyException unknown) {
      List<String> known = new ArrayList<>();
      Collection<Object> ids = unknown.getKnownPropertyIds();
      if (ids != null) {
        ids.forEach(id -> known.add(String.valueOf(id)));
      }
      String parent = parentOf(path);
      reason =
          "unknown property '"
              + path
              + "'; the properties"
              + (parent == null ? " of tool '" + tool.name() + "'" : " of '" + parent + "'")
              + " are: "
              + String.join(", ", known);
    } else if (e instanceof InvalidNullException) {
      reason = "property '" + path + "' must not be null";
    } else if (e instanceof InvalidFormatException format) {
      reason =
          where(path) + " must be " + expected(format.getTargetType()) + found(arguments, path);
    } else if (e instanceof MismatchedInputException mismatch
        && message(e).startsWith("Missing required creator property")) {
      String missing = missingProperty(message(e));
      path = path.isEmpty() || path.endsWith(missing) ? pathOrName(path, missing) : path;
      reason = "missing required property '" + path + "'";
    } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      reason =
          where(path) + " must be " + expected(mismatch.getTargetType()) + found(arguments, path);
    } else if (e instanceof ValueInstantiationException) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      reason = where(path) + " was rejected by " + type.getSimpleName() + ": " + message(cause);
    } else {
      reason = where(path) + ": " + firstLine(message(e));
    }
    return invalid(callId, path.isEmpty() ? null : path, reason, e);
  }

  /** {@code ", was a string"}: the JSON type found at a path, never the value itself. */
  private static String found(JsonNode arguments, String path) {
    try {
      return foundAt(arguments, path);
    } catch (RuntimeException e) {
      return ""; // a property name with brackets or dots in it: say less
    }
  }

  private static String foundAt(JsonNode arguments, String path) {
    JsonNode node = arguments;
    for (String step : path.replace("[", ".[").split("\\.")) {
      if (step.isEmpty() || node == null) {
        continue;
      }
      node =
          step.startsWith("[")
              ? node.get(Integer.parseInt(step.substring(1, step.length() - 1)))
              : node.get(step);
    }
    return node == null || node.isMissingNode() ? "" : ", was " + JsonSchemaCheck.describe(node);
  }

  private static String pathOrName(String path, String name) {
    return path.isEmpty() ? name : path;
  }

  /** Jackson's "Missing required creator property 'city' (index 0)": the name. */
  private static String missingProperty(String message) {
    int start = message.indexOf('\'');
    int end = start < 0 ? -1 : message.indexOf('\'', start + 1);
    return end > start ? message.substring(start + 1, end) : "";
  }

  private static @Nullable String parentOf(String path) {
    int dot = path.lastIndexOf('.');
    int bracket = path.lastIndexOf('[');
    int cut = Math.max(dot, bracket);
    return cut <= 0 ? null : path.substring(0, cut);
  }

  private static String where(String path) {
    return path.isEmpty() ? "the arguments" : "property '" + path + "'";
  }

  private static String expected(Class<?> target) {
    if (target == int.class
        || target == Integer.class
        || target == long.class
        || target == Long.class
        || target == short.class
        || target == Short.class
        || target == byte.class
        || target == Byte.class
        || target == java.math.BigInteger.class) {
      return "an integer";
    }
    if (target == double.class
        || target == Double.class
        || target == float.class
        || target == Float.class
        || target == java.math.BigDecimal.class) {
      return "a number";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "a boolean";
    }
    if (target == String.class || target == char.class || target == Character.class) {
      return "a string";
    }
    if (target.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object constant : target.getEnumConstants()) {
        names.add(((Enum<?>) constant).name());
      }
      return "one of " + names;
    }
    if (target.isArray() || Collection.class.isAssignableFrom(target)) {
      return "an array";
    }
    return "an object (" + target.getSimpleName() + ")";
  }

  /** A JSON path of Jackson's references: {@code stops[2].name}. */
  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String syntaxReason(JsonProcessingException e) {
    String original = firstLine(message(e));
    if (original.startsWith("Trailing token")) {
      return "there is content after the JSON value (" + original + ")";
    }
    if (original.startsWith("Duplicate field")) {
      return "a property appears twice (" + original + ")";
    }
    return "malformed JSON: " + original;
  }

  private static String message(Throwable e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private InvalidArgumentsException invalid(
      String callId, @Nullable String property, String reason, @Nullable Throwable cause) {
    return new InvalidArgumentsException(callId, tool.name(), property, reason, cause);
  }
}
