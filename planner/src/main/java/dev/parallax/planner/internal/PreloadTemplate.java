package dev.parallax.planner.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.planner.preload.ObservedCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How to build a predicted call of {@code target} after a call of {@code trigger}: a source per
 * argument. Internal; may change at any time.
 *
 * @param trigger the tool whose call fires it
 * @param target the predicted call's tool
 * @param arguments the source of each argument, by name
 * @param previous the tool of the call just before the trigger for the template to apply (a
 *     second-order rule: "after B that followed A"), or {@code null} whatever came before
 */
public record PreloadTemplate(
    String trigger,
    String target,
    SortedMap<String, ArgSource> arguments,
    @Nullable String previous) {

  /** Copies the arguments. */
  public PreloadTemplate {
    arguments = new TreeMap<>(arguments);
  }

  /** The same template, applying only when the trigger followed a call of {@code tool}. */
  public PreloadTemplate after(String tool) {
    return new PreloadTemplate(trigger, target, arguments, tool);
  }

  /**
   * The predicted arguments, or {@code null} if a source has no value in this context or the call
   * before the trigger is not of {@link #previous}.
   */
  public @Nullable ObjectNode instantiate(List<ObservedCall> context) {
    return instantiate(context, source -> source.resolve(context));
  }

  /**
   * As {@link #instantiate(List)}, each source's value given by {@code resolve} (which may remember
   * the values of the sources of one context, shared by many templates).
   */
  @Nullable ObjectNode instantiate(
      List<ObservedCall> context, Function<ArgSource, @Nullable JsonNode> resolve) {
    if (previous != null
        && (context.size() < 2 || !context.get(context.size() - 2).tool().equals(previous))) {
      return null;
    }
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, ArgSource> e : arguments.entrySet()) {
      JsonNode value = resolve.apply(e.getValue());
      if (value == null) {
        return null;
      }
      args.set(e.getKey(), value);
    }
    return args;
  }

  /** Each argument's source in words, by name. */
  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    arguments.forEach((name, source) -> d.put(name, source.describe()));
    return d;
  }

  /**
   * The identity of a call, to compare predicted and real calls: the tool and the arguments as
   * canonical JSON; {@code null} if the arguments cannot be written.
   */
  public static @Nullable String key(String tool, JsonNode arguments) {
    try {
      return tool + ' ' + CanonicalJson.write(arguments);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
