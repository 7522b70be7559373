package dev.parallax.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Checks JSON arguments against the JSON Schema a tool publishes, for the keywords tool schemas
 * use: {@code type} (one or a list), {@code properties}, {@code required}, {@code
 * additionalProperties} (boolean or schema), {@code enum}, {@code const}, {@code items}, {@code
 * anyOf}, {@code oneOf}, {@code allOf}, {@code minimum}, {@code maximum}, {@code exclusiveMinimum},
 * {@code exclusiveMaximum}, {@code minLength}, {@code maxLength}, {@code pattern}, {@code
 * minItems}, {@code maxItems} and local {@code $ref}s ({@code #/$defs/...}, {@code
 * #/definitions/...}). Other keywords (descriptions, formats, ...) are ignored. The first problem
 * found is reported, with the path of the property and a message written for a model; messages
 * never repeat the value (arguments may hold secrets, and messages may end up on spans).
 *
 * <p>Immutable and thread-safe. Internal; may change at any time.
 */
final class JsonSchemaCheck {

  /** A value that does not fit the schema: where, and why. */
  record Problem(@Nullable String path, String message) {}

  private final JsonNode root;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  private JsonSchemaCheck(JsonNode root) {
    this.root = root;
  }

  /**
   * Reads a schema.
   *
   * @throws IllegalArgumentException if the schema is not a JSON object or boolean, or a pattern in
   *     it does not compile
   */
  static JsonSchemaCheck of(JsonNode schema) {
    if (!schema.isObject() && !schema.isBoolean()) {
      throw new IllegalArgumentException("a JSON schema must be an object or a boolean");
    }
    JsonSchemaCheck check = new JsonSchemaCheck(schema);
    check.compilePatterns(schema);
    return check;
  }

  private void compilePatterns(JsonNode schema) {
    if (schema.isObject()) {
      JsonNode pattern = schema.get("pattern");
      if (pattern != null && pattern.isTextual()) {
        pattern(pattern.asText());
      }
    }
    for (JsonNode child : schema) {
      if (child.isContainerNode()) {
        compilePatterns(child);
      }
    }
  }

  private Pattern pattern(String regex) {
    Pattern compiled = patterns.get(regex);
    if (compiled == null) {
      try {
        compiled = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("invalid pattern in JSON schema: " + regex, e);
      }
      patterns.put(regex, compiled);
    }
    return compiled;
  }

  /** The first problem of the value, or {@code null} if it fits. */
  @Nullable Problem check(JsonNode value) {
    return check(root, value, "", 0);
  }

  private @Nullable Problem check(JsonNode schema, JsonNode value, String path, int depth) {
    if (depth > 64) {
      return null; // a recursive schema deeper than any sensible argument: stop checking
    }
    if (schema.isBoolean()) {
      return schema.asBoolean() ? null : problem(path, "is not allowed");
    }
    if (!schema.isObject()) {
      return null;
    }
    JsonNode ref = schema.get("$ref");
    if (ref != null && ref.isTextual()) {
      JsonNode target = resolve(ref.asText());
      if (target != null) {
        Problem p = check(target, value, path, depth + 1);
        if (p != null) {
          return p;
        }
      }
    }
    Problem p = checkType(schema, value, path);
    if (p == null) {
      p = checkValues(schema, value, path);
    }
    if (p == null) {
      p = checkCombinations(schema, value, path, depth);
    }
    if (p == null && value.isObject()) {
      p = checkObject(schema, value, path, depth);
    }
    if (p == null && value.isArray()) {
      p = checkArray(schema, value, path, depth);
    }
    return p;
  }

  private @Nullable JsonNode resolve(String ref) {
    if (!ref.startsWith("#")) {
      return null; // remote references are not followed
    }
    JsonNode target = root.at(ref.substring(1));
    return target.isMissingNode() ? null : target;
  }

  private static @Nullable Problem checkType(JsonNode schema, JsonNode value, String path) {
    JsonNode type = schema.get("type");
    if (type == null) {
      return null;
    }
    if (type.isTextual()) {
      return hasType(value, type.asText())
          ? null
          : problem(path, "must be " + article(type.asText()) + ", was " + describe(value));
    }
    if (type.isArray()) {
      List<String> names = new ArrayList<>();
      for (JsonNode t : type) {
        if (hasType(value, t.asText())) {
          return null;
        }
        names.add(t.asText());
      }
      return problem(path, "must be one of the types " + names + ", was " + describe(value));
    }
    return null;
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      case "number" -> value.isNumber();
      case "integer" ->
          value.isIntegralNumber()
              || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
      default -> true; // an unknown type name constrains nothing
    };
  }

  private @Nullable Problem checkValues(JsonNode schema, JsonNode value, String path) {
    JsonNode constant = schema.get("const");
    if (constant != null && !sameValue(constant, value)) {
      return problem(path, "must be " + constant + ", was another " + kind(value));
    }
    JsonNode allowed = schema.get("enum");
    if (allowed != null && allowed.isArray()) {
      boolean found = false;
      for (JsonNode candidate : allowed) {
        found |= sameValue(candidate, value);
      }
      if (!found) {
        return problem(path, "must be one of " + allowed + ", was another " + kind(value));
      }
    }
    if (value.isNumber()) {
      double number = value.asDouble();
      if (below(schema, "minimum", number, false)) {
        return problem(path, "must be >= " + schema.get("minimum"));
      }
      if (below(schema, "exclusiveMinimum", number, true)) {
        return problem(path, "must be > " + schema.get("exclusiveMinimum"));
      }
      if (above(schema, "maximum", number, false)) {
        return problem(path, "must be <= " + schema.get("maximum"));
      }
      if (above(schema, "exclusiveMaximum", number, true)) {
        return problem(path, "must be < " + schema.get("exclusiveMaximum"));
      }
    }
    if (value.isTextual()) {
      int length = value.asText().codePointCount(0, value.asText().length());
      JsonNode min = schema.get("minLength");
      if (min != null && min.isNumber() && length < min.asInt()) {
        return problem(path, "must have at least " + min.asInt() + " characters, had " + length);
      }
      JsonNode max = schema.get("maxLength");
      if (max != null && max.isNumber() && length > max.asInt()) {
        return problem(path, "must have at most " + max.asInt() + " characters, had " + length);
      }
      JsonNode regex = schema.get("pattern");
      if (regex != null
          && regex.isTextual()
          && !pattern(regex.asText()).matcher(value.asText()).find()) {
        return problem(path, "must match the pattern " + regex.asText());
      }
    }
    return null;
  }

  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static boolean below(JsonNode schema, String keyword, double value, boolean exclusive) {
    JsonNode bound = schema.get(keyword);
    return bound != null
        && bound.isNumber()
        && (exclusive ? value <= bound.asDouble() : value < bound.asDouble());
  }

  private static boolean above(JsonNode schema, String keyword, double value, boolean exclusive) {
    JsonNode bound = schema.get(keyword);
    return bound != null
        && bound.isNumber()
        && (exclusive ? value >= bound.asDouble() : value > bound.asDouble());
  }

  private @Nullable Problem checkCombinations(
      JsonNode schema, JsonNode value, String path, int depth) {
    JsonNode all = schema.get("allOf");
    if (all != null && all.isArray()) {
      for (JsonNode part : all) {
        Problem p = check(part, value, path, depth + 1);
        if (p != null) {
          return p;
        }
      }
    }
    for (String keyword : new String[] {"anyOf", "oneOf"}) {
      JsonNode any = schema.get(keyword);
      if (any != null && any.isArray() && !any.isEmpty()) {
        Problem first = null;
        int matches = 0;
        for (JsonNode part : any) {
          Problem p = check(part, value, path, depth + 1);
          if (p == null) {
            matches++;
          } else if (first == null) {
            first = p;
          }
        }
        if (matches == 0) {
          return any.size() == 1
              ? first
              : problem(path, "matches none of the " + any.size() + " allowed forms");
        }
        if (keyword.equals("oneOf") && matches > 1) {
          return problem(path, "matches more than one of the allowed forms");
        }
      }
    }
    return null;
  }

  private @Nullable Problem checkObject(JsonNode schema, JsonNode value, String path, int depth) {
    JsonNode required = schema.get("required");
    if (required != null && required.isArray()) {
      for (JsonNode name : required) {
        if (!value.has(name.asText())) {
          return new Problem(
              child(path, name.asText()),
              "missing required property '" + child(path, name.asText()) + "'");
        }
      }
    }
    JsonNode properties = schema.get("properties");
    JsonNode additional = schema.get("additionalProperties");
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String childPath = child(path, field.getKey());
      JsonNode propertySchema = properties == null ? null : properties.get(field.getKey());
      if (propertySchema != null) {
        Problem p = check(propertySchema, field.getValue(), childPath, depth + 1);
        if (p != null) {
          return p;
        }
      } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
        List<String> known = new ArrayList<>();
        if (properties != null) {
          properties.fieldNames().forEachRemaining(known::add);
        }
        return new Problem(
            childPath,
            "unknown property '"
                + childPath
                + "'; the allowed properties"
                + (path.isEmpty() ? "" : " of '" + path + "'")
                + " are: "
                + String.join(", ", known));
      } else if (additional != null && additional.isObject()) {
        Problem p = check(additional, field.getValue(), childPath, depth + 1);
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  private @Nullable Problem checkArray(JsonNode schema, JsonNode value, String path, int depth) {
    JsonNode min = schema.get("minItems");
    if (min != null && min.isNumber() && value.size() < min.asInt()) {
      return problem(path, "must have at least " + min.asInt() + " items, had " + value.size());
    }
    JsonNode max = schema.get("maxItems");
    if (max != null && max.isNumber() && value.size() > max.asInt()) {
      return problem(path, "must have at most " + max.asInt() + " items, had " + value.size());
    }
    JsonNode items = schema.get("items");
    if (items != null && (items.isObject() || items.isBoolean())) {
      for (int i = 0; i < value.size(); i++) {
        Problem p = check(items, value.get(i), path + "[" + i + "]", depth + 1);
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static Problem problem(String path, String message) {
    return path.isEmpty()
        ? new Problem(null, "the arguments " + message)
        : new Problem(path, "property '" + path + "' " + message);
  }

  private static String article(String type) {
    return switch (type) {
      case "object", "array", "integer" -> "an " + type;
      case "null" -> "null";
      default -> "a " + type;
    };
  }

  /** The JSON type of a value without an article: {@code string}, {@code number}, ... */
  private static String kind(JsonNode value) {
    String described = describe(value);
    int space = described.indexOf(' ');
    return space < 0 ? described : described.substring(space + 1);
  }

  /** The JSON type of a value, for messages. */
  static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isIntegralNumber()) {
      return "an integer";
    }
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isNull()) {
      return "null";
    }
    if (value.isArray()) {
      return "an array";
    }
    return "an object";
  }
}
