package dev.parallax.core.tool;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a tool declares about itself.
 *
 * @param name unique name, 1 to 64 characters of letters, digits, {@code _}, {@code -} and {@code
 *     .} (the form LLM providers accept for function names)
 * @param description what the tool does, for people and for models choosing tools
 * @param inputType the Java type of the input; JSON arguments are converted to it
 * @param inputSchema an optional JSON Schema of the input, as JSON text, to hand to a model
 * @param idempotent running it twice with the same input has the same effect as once; only
 *     idempotent tools are retried unless the retry policy says otherwise
 * @param cacheable its result for an input may be reused for the same input
 * @param concurrencySafe several calls of it may run at the same time; when {@code false} the
 *     executor runs at most one call of this tool at a time in a run
 * @param capabilities what the tool can stand in for: tools sharing a capability are alternatives
 *     to each other for fallbacks (for example {@code web_search}); names follow the tool-name rule
 * @param lenientArguments JSON arguments are converted leniently ({@link ToolRegistry}): unknown
 *     properties are ignored, missing ones become {@code null} or zero, content after the JSON
 *     value is ignored and the input schema is not enforced. Default {@code false}: such arguments
 *     fail the call with an {@link InvalidArgumentsException}
 */
public record ToolSpec(
    String name,
    String description,
    Class<?> inputType,
    @Nullable String inputSchema,
    boolean idempotent,
    boolean cacheable,
    boolean concurrencySafe,
    Set<String> capabilities,
    boolean lenientArguments) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** Validates the fields. */
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(capabilities, "capabilities");
    requireValidName("tool name", name);
    capabilities = Set.copyOf(capabilities);
    for (String capability : capabilities) {
      requireValidName("tool " + name + ": capability", capability);
    }
  }

  private static void requireValidName(String what, String value) {
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " '" + value + "' is invalid: use 1 to 64 letters, digits, '_', '-' or '.'");
    }
  }

  /** A spec with strict arguments. */
  public ToolSpec(
      String name,
      String description,
      Class<?> inputType,
      @Nullable String inputSchema,
      boolean idempotent,
      boolean cacheable,
      boolean concurrencySafe,
      Set<String> capabilities) {
    this(
        name,
        description,
        inputType,
        inputSchema,
        idempotent,
        cacheable,
        concurrencySafe,
        capabilities,
        false);
  }

  /** A spec without capabilities, with strict arguments. */
  public ToolSpec(
      String name,
      String description,
      Class<?> inputType,
      @Nullable String inputSchema,
      boolean idempotent,
      boolean cacheable,
      boolean concurrencySafe) {
    this(
        name,
        description,
        inputType,
        inputSchema,
        idempotent,
        cacheable,
        concurrencySafe,
        Set.of());
  }
}
