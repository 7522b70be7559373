package dev.parallax.planner.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.planner.preload.ObservedCall;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where one argument of a predicted call comes from: a constant, a value of the trigger call's
 * arguments or result, or the element that follows one of the trigger's arguments in a list seen in
 * a recent result. Internal; may change at any time.
 */
public sealed interface ArgSource {

  /**
   * The value for the predicted call, or {@code null} when this source has none here.
   *
   * @param context the recent calls of the session, oldest first; the last one is the trigger
   */
  @Nullable JsonNode resolve(List<ObservedCall> context);

  /** A short description, such as {@code result/reservations/0}. */
  String describe();

  /** Always the same value. */
  record Constant(JsonNode value) implements ArgSource {
    @Override
    public JsonNode resolve(List<ObservedCall> context) {
      return value;
    }

    @Override
    public String describe() {
      return value.toString();
    }
  }

  /** A scalar of the trigger's arguments, at a JSON pointer. */
  record FromArguments(String pointer, JsonPointer compiled) implements ArgSource {
    /** The source at {@code pointer} (compiled once: resolving runs for every try in learning). */
    public FromArguments(String pointer) {
      this(pointer, JsonPointer.compile(pointer));
    }

    @Override
    public @Nullable JsonNode resolve(List<ObservedCall> context) {
      return scalar(last(context).arguments().at(compiled));
    }

    @Override
    public String describe() {
      return "arguments" + pointer;
    }
  }

  /** A scalar of the trigger's result, at a JSON pointer. */
  record FromResult(String pointer, JsonPointer compiled) implements ArgSource {
    /** The source at {@code pointer} (compiled once: resolving runs for every try in learning). */
    public FromResult(String pointer) {
      this(pointer, JsonPointer.compile(pointer));
    }

    @Override
    public @Nullable JsonNode resolve(List<ObservedCall> context) {
      JsonNode result = last(context).result();
      return result == null ? null : scalar(result.at(compiled));
    }

    @Override
    public String describe() {
      return "result" + pointer;
    }
  }

  /**
   * The element after the trigger's argument {@code pointer} in a list of scalars of a recent
   * result (the most recent result holding that value with a successor wins).
   */
  record Successor(String pointer, JsonPointer compiled) implements ArgSource {
    /** The source at {@code pointer} (compiled once: resolving runs for every try in learning). */
    public Successor(String pointer) {
      this(pointer, JsonPointer.compile(pointer));
    }

    @Override
    public @Nullable JsonNode resolve(List<ObservedCall> context) {
      JsonNode value = scalar(last(context).arguments().at(compiled));
      if (value == null) {
        return null;
      }
      for (int i = context.size() - 1; i >= 0; i--) {
        JsonNode result = context.get(i).result();
        JsonNode next = result == null ? null : JsonLeaves.successor(result, value);
        if (next != null) {
          return next;
        }
      }
      return null;
    }

    @Override
    public String describe() {
      return "next after arguments" + pointer + " in a recent result's list";
    }
  }

  private static ObservedCall last(List<ObservedCall> context) {
    return context.get(context.size() - 1);
  }

  private static @Nullable JsonNode scalar(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node : null;
  }
}
