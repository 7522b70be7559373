package dev.parallax.samples.bench.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Report values as short text, for tables. */
public final class Values {

  private static final int MAX_LIST_ITEMS = 12;

  private Values() {}

  /** A number with as many digits as it deserves; {@code n/a} if not finite. */
  public static String number(double v) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    String pattern = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, v);
  }

  /**
   * A field's value in a few words: numbers rounded, maps as {@code k: v; ...}, long lists by their
   * length.
   */
  public static String describe(@Nullable Object value) {
    return switch (value) {
      case null -> "-";
      case Double d -> number(d);
      case Float f -> number(f);
      case Number n -> n.toString();
      case Map<?, ?> map -> {
        List<String> parts = new ArrayList<>();
        map.forEach((k, v) -> parts.add(k + ": " + describe(v)));
        yield String.join("; ", parts);
      }
      case List<?> list ->
          list.size() > MAX_LIST_ITEMS
              ? "(" + list.size() + " rows, in the JSON)"
              : "[" + String.join(", ", list.stream().map(Values::describe).toList()) + "]";
      default -> value.toString();
    };
  }
}
