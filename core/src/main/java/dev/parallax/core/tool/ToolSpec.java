package dev.parallax.core.tool;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a tool declares about itself: its name, description, input type and schema, and how the
 * executor may treat it (retries, caching, concurrency, lenient arguments, capabilities).
 *
 * <p>Built with {@link #builder(String)} (or {@link #toBuilder()}); new properties get a default,
 * so code building specs keeps compiling as the type grows. The public constructors remain for
 * source compatibility and are deprecated. Immutable and thread-safe; equal when every property is
 * equal.
 */
public final class ToolSpec {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final String name;
  private final String description;
  private final Class<?> inputType;
  private final @Nullable String inputSchema;
  private final boolean idempotent;
  private final boolean cacheable;
  private final boolean concurrencySafe;
  private final Set<String> capabilities;
  private final boolean lenientArguments;
  private final Map<String, Integer> resources;

  /**
   * A spec with every property.
   *
   * @throws IllegalArgumentException if the name or a capability breaks the tool-name rule
   * @deprecated use {@link #builder(String)}: it keeps compiling when properties are added
   */
  @Deprecated
  public ToolSpec(
      String name,
      String description,
      Class<?> inputType,
      @Nullable String inputSchema,
      boolean idempotent,
      boolean cacheable,
      boolean concurrencySafe,
      Set<String> capabilities,
      boolean lenientArguments) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(capabilities, "capabilities");
    requireValidName("tool name", name);
    Set<String> copied = Set.copyOf(capabilities);
    for (String capability : copied) {
      requireValidName("tool " + name + ": capability", capability);
    }
    this.name = name;
    this.description = description;
    this.inputType = inputType;
    this.inputSchema = inputSchema;
    this.idempotent = idempotent;
    this.cacheable = cacheable;
    this.concurrencySafe = concurrencySafe;
    this.capabilities = copied;
    this.lenientArguments = lenientArguments;
    this.resources = Map.of();
  }

  /** A copy of {@code base} holding {@code resources} (already checked). */
  private ToolSpec(ToolSpec base, Map<String, Integer> resources) {
    this.name = base.name;
    this.description = base.description;
    this.inputType = base.inputType;
    this.inputSchema = base.inputSchema;
    this.idempotent = base.idempotent;
    this.cacheable = base.cacheable;
    this.concurrencySafe = base.concurrencySafe;
    this.capabilities = base.capabilities;
    this.lenientArguments = base.lenientArguments;
    this.resources = resources;
  }

  /**
   * A spec with strict arguments.
   *
   * @deprecated use {@link #builder(String)}
   */
  @Deprecated
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

  /**
   * A spec without capabilities, with strict arguments.
   *
   * @deprecated use {@link #builder(String)}
   */
  @Deprecated
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

  /**
   * A builder for a tool named {@code name}. Defaults: description {@code ""}, input type {@link
   * Object}, no schema, not idempotent, not cacheable, concurrency-safe, no capabilities, strict
   * arguments. The name is checked by {@link Builder#build()}.
   */
  public static Builder builder(String name) {
    return new Builder(Objects.requireNonNull(name, "name"));
  }

  /** A builder holding this spec's properties. */
  public Builder toBuilder() {
    return new Builder(name)
        .description(description)
        .inputType(inputType)
        .inputSchema(inputSchema)
        .idempotent(idempotent)
        .cacheable(cacheable)
        .concurrencySafe(concurrencySafe)
        .capabilities(capabilities)
        .lenientArguments(lenientArguments)
        .resources(resources);
  }

  private static void requireValidName(String what, String value) {
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " '" + value + "' is invalid: use 1 to 64 letters, digits, '_', '-' or '.'");
    }
  }

  /**
   * Unique name, 1 to 64 characters of letters, digits, {@code _}, {@code -} and {@code .} (the
   * form LLM providers accept for function names).
   */
  public String name() {
    return name;
  }

  /** What the tool does, for people and for models choosing tools. */
  public String description() {
    return description;
  }

  /** The Java type of the input; JSON arguments are converted to it. */
  public Class<?> inputType() {
    return inputType;
  }

  /** An optional JSON Schema of the input, as JSON text, to hand to a model. */
  public @Nullable String inputSchema() {
    return inputSchema;
  }

  /**
   * Running it twice with the same input has the same effect as once; only idempotent tools are
   * retried unless the retry policy says otherwise.
   */
  public boolean idempotent() {
    return idempotent;
  }

  /** Its result for an input may be reused for the same input. */
  public boolean cacheable() {
    return cacheable;
  }

  /**
   * Several calls of it may run at the same time; when {@code false} the executor runs at most one
   * call of this tool at a time in a run.
   */
  public boolean concurrencySafe() {
    return concurrencySafe;
  }

  /**
   * What the tool can stand in for: tools sharing a capability are alternatives to each other for
   * fallbacks (for example {@code web_search}); names follow the tool-name rule.
   */
  public Set<String> capabilities() {
    return capabilities;
  }

  /**
   * JSON arguments are converted leniently ({@link ToolRegistry}): unknown properties are ignored,
   * missing ones become {@code null} or zero, content after the JSON value is ignored and the input
   * schema is not enforced. Default {@code false}: such arguments fail the call with an {@link
   * InvalidArgumentsException}.
   */
  public boolean lenientArguments() {
    return lenientArguments;
  }

  /**
   * The named resources a call of this tool holds while its body runs, with how many units of each
   * (for example {@code db=1}, {@code gpu=2}); default none. They count only when the executor has
   * a {@link dev.parallax.core.spi.RunScheduler} that knows the resources' capacities: such a
   * scheduler starts a call only when every one of its resources is free at once, and takes them
   * back when its body returns (a timed-out call's body may return later). Unmodifiable, sorted by
   * name.
   */
  public Map<String, Integer> resources() {
    return resources;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ToolSpec s
        && name.equals(s.name)
        && description.equals(s.description)
        && inputType.equals(s.inputType)
        && Objects.equals(inputSchema, s.inputSchema)
        && idempotent == s.idempotent
        && cacheable == s.cacheable
        && concurrencySafe == s.concurrencySafe
        && capabilities.equals(s.capabilities)
        && lenientArguments == s.lenientArguments
        && resources.equals(s.resources);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        description,
        inputType,
        inputSchema,
        idempotent,
        cacheable,
        concurrencySafe,
        capabilities,
        lenientArguments,
        resources);
  }

  @Override
  public String toString() {
    return "ToolSpec[name="
        + name
        + ", description="
        + description
        + ", inputType="
        + inputType.getName()
        + ", inputSchema="
        + (inputSchema == null ? "none" : inputSchema.length() + " chars")
        + ", idempotent="
        + idempotent
        + ", cacheable="
        + cacheable
        + ", concurrencySafe="
        + concurrencySafe
        + ", capabilities="
        + capabilities
        + ", lenientArguments="
        + lenientArguments
        + (resources.isEmpty() ? "" : ", resources=" + resources)
        + "]";
  }

  /**
   * Builds a {@link ToolSpec}; see {@link ToolSpec#builder(String)} for the defaults. Not
   * thread-safe.
   */
  public static final class Builder {
    private final String name;
    private String description = "";
    private Class<?> inputType = Object.class;
    private @Nullable String inputSchema;
    private boolean idempotent;
    private boolean cacheable;
    private boolean concurrencySafe = true;
    private Set<String> capabilities = Set.of();
    private boolean lenientArguments;
    private Map<String, Integer> resources = Map.of();

    private Builder(String name) {
      this.name = name;
    }

    /** What the tool does; default {@code ""}. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** The Java type of the input; default {@link Object}. */
    public Builder inputType(Class<?> inputType) {
      this.inputType = Objects.requireNonNull(inputType, "inputType");
      return this;
    }

    /** A JSON Schema of the input, as JSON text; default none. */
    public Builder inputSchema(@Nullable String inputSchema) {
      this.inputSchema = inputSchema;
      return this;
    }

    /** Whether running it twice equals running it once; default {@code false}. */
    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /** Whether its result may be reused for the same input; default {@code false}. */
    public Builder cacheable(boolean cacheable) {
      this.cacheable = cacheable;
      return this;
    }

    /** Whether several calls of it may run at once; default {@code true}. */
    public Builder concurrencySafe(boolean concurrencySafe) {
      this.concurrencySafe = concurrencySafe;
      return this;
    }

    /** What the tool can stand in for (copied); default none. */
    public Builder capabilities(Set<String> capabilities) {
      this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
      return this;
    }

    /** Whether JSON arguments are converted leniently; default {@code false}. */
    public Builder lenientArguments(boolean lenientArguments) {
      this.lenientArguments = lenientArguments;
      return this;
    }

    /**
     * The named resources a call holds while it runs, with the units of each (copied); default
     * none. See {@link ToolSpec#resources()}. Checked by {@link #build()}.
     */
    public Builder resources(Map<String, Integer> resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /**
     * The spec.
     *
     * @throws IllegalArgumentException if the name, a capability or a resource name breaks the
     *     tool-name rule, or a resource's units are below 1
     */
    public ToolSpec build() {
      ToolSpec spec = plain();
      if (resources.isEmpty()) {
        return spec;
      }
      Map<String, Integer> checked = new TreeMap<>();
      resources.forEach(
          (resource, units) -> {
            Objects.requireNonNull(resource, "resource name");
            Objects.requireNonNull(units, "resource units");
            requireValidName("tool " + name + ": resource", resource);
            if (units < 1) {
              throw new IllegalArgumentException(
                  "tool " + name + ": resource '" + resource + "' must be >= 1 unit, was " + units);
            }
            checked.put(resource, units);
          });
      return new ToolSpec(spec, java.util.Collections.unmodifiableMap(checked));
    }

    private ToolSpec plain() {
      return new ToolSpec(
          name,
          description,
          inputType,
          inputSchema,
          idempotent,
          cacheable,
          concurrencySafe,
          capabilities,
          lenientArguments);
    }
  }
}
