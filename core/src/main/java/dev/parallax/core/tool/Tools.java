package dev.parallax.core.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds tools from functions.
 *
 * <pre>{@code
 * Tool<Query, List<Hit>> search = Tools.named("search")
 *     .description("Searches the product catalogue")
 *     .idempotent(true)
 *     .cacheable(true)
 *     .input(Query.class)
 *     .function((query, ctx) -> catalogue.search(query));
 * }</pre>
 *
 * <p>By default a tool is not idempotent, not cacheable, safe to run concurrently and takes a
 * {@link JsonNode}. Builders are not thread-safe; the tools they build are immutable.
 */
public final class Tools {

  private Tools() {}

  /** Starts building a tool with the given name. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Collects the properties of a tool; see {@link Tools}. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private @Nullable String inputSchema;
    private boolean idempotent;
    private boolean cacheable;
    private boolean concurrencySafe = true;
    private Set<String> capabilities = Set.of();
    private boolean lenientArguments;
    private Map<String, Integer> resources = Map.of();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** What the tool does. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * A JSON Schema of the input, as JSON text, to hand to a model. {@link ToolRegistry} also
     * checks the arguments of calls against it (unless {@link #lenientArguments} is on); see {@link
     * ToolRegistry#call(String, String, String)} for the keywords it checks.
     */
    public Builder inputSchema(String jsonSchema) {
      this.inputSchema = Objects.requireNonNull(jsonSchema, "jsonSchema");
      return this;
    }

    /** Whether running the tool twice with one input has the effect of running it once. */
    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /** Whether the tool's result for an input may be reused. */
    public Builder cacheable(boolean cacheable) {
      this.cacheable = cacheable;
      return this;
    }

    /** Whether several calls of the tool may run at once (default {@code true}). */
    public Builder concurrencySafe(boolean concurrencySafe) {
      this.concurrencySafe = concurrencySafe;
      return this;
    }

    /**
     * Whether JSON arguments that do not fit are accepted as far as they can be converted (default
     * {@code false}): unknown properties are ignored, missing ones become {@code null} or zero,
     * content after the JSON value is ignored and the input schema is not enforced. Off, such
     * arguments fail the call with an {@link InvalidArgumentsException} naming the property.
     */
    public Builder lenientArguments(boolean lenient) {
      this.lenientArguments = lenient;
      return this;
    }

    /**
     * What the tool can stand in for; tools sharing a capability are fallback alternatives to each
     * other (see {@link ToolSpec#capabilities()}).
     */
    public Builder capabilities(String... capabilities) {
      Objects.requireNonNull(capabilities, "capabilities");
      for (int i = 0; i < capabilities.length; i++) {
        Objects.requireNonNull(capabilities[i], "capabilities[" + i + "]");
      }
      this.capabilities = Set.of(capabilities);
      return this;
    }

    /**
     * The named resources a call holds while it runs, with the units of each (default none); see
     * {@link ToolSpec#resources()}. Checked when the tool is built.
     */
    public Builder resources(Map<String, Integer> resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Declares the input type; JSON arguments are converted to it. For a record, every component is
     * a required property unless it is annotated {@code @Nullable}; primitives are always required
     * (see {@link ToolRegistry#call(String, String, String)}).
     */
    public <I> TypedBuilder<I> input(Class<I> inputType) {
      return new TypedBuilder<>(this, Objects.requireNonNull(inputType, "inputType"));
    }

    /** Builds a tool that takes its arguments as a JSON object. */
    public <O> Tool<JsonNode, O> function(ToolFunction<JsonNode, O> function) {
      return input(JsonNode.class).function(function);
    }

    private ToolSpec spec(Class<?> inputType) {
      return ToolSpec.builder(name)
          .description(description)
          .inputType(inputType)
          .inputSchema(inputSchema)
          .idempotent(idempotent)
          .cacheable(cacheable)
          .concurrencySafe(concurrencySafe)
          .capabilities(capabilities)
          .lenientArguments(lenientArguments)
          .resources(resources)
          .build();
    }
  }

  /** The last step of building a tool with a declared input type. */
  public static final class TypedBuilder<I> {
    private final Builder builder;
    private final Class<I> inputType;

    private TypedBuilder(Builder builder, Class<I> inputType) {
      this.builder = builder;
      this.inputType = inputType;
    }

    private @Nullable FeatureExtractor<I> features;

    /** How to turn an input into named numbers (default {@link ArgumentFeatures}). */
    public TypedBuilder<I> features(FeatureExtractor<I> features) {
      this.features = Objects.requireNonNull(features, "features");
      return this;
    }

    /** Builds the tool. */
    public <O> Tool<I, O> function(ToolFunction<I, O> function) {
      return new FunctionTool<>(
          builder.spec(inputType), Objects.requireNonNull(function, "function"), features);
    }
  }

  private record FunctionTool<I, O>(
      ToolSpec spec, ToolFunction<I, O> function, @Nullable FeatureExtractor<I> extractor)
      implements Tool<I, O> {
    @Override
    public @Nullable O call(I input, ToolContext context) throws Exception {
      return function.apply(input, context);
    }

    @Override
    public java.util.Map<String, Double> features(I input) {
      return extractor != null ? extractor.features(input) : ArgumentFeatures.of(input);
    }

    @Override
    public String toString() {
      return "Tool[" + spec.name() + "]";
    }
  }
}
