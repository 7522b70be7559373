package dev.parallax.analysis.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Fits the tool names found in inputs to Parallax's rule for tool names (1 to 64 letters, digits,
 * {@code _}, {@code -} or {@code .}), so that any program name can run in the simulator: other
 * characters become {@code _} and long names are cut. Remembers what it changed, for a note. Not
 * thread-safe.
 */
final class ToolNames {

  private static final Pattern INVALID = Pattern.compile("[^A-Za-z0-9_.-]");
  private static final int MAX = 64;
  private static final int LISTED = 3;

  private final Map<String, String> changed = new LinkedHashMap<>();

  /** {@code name} as a valid tool name. */
  String fit(String name) {
    String fitted = INVALID.matcher(name).replaceAll("_");
    if (fitted.length() > MAX) {
      fitted = fitted.substring(0, MAX);
    }
    if (fitted.isEmpty()) {
      fitted = "_";
    }
    if (!fitted.equals(name)) {
      changed.putIfAbsent(name, fitted);
    }
    return fitted;
  }

  /** A note listing the names changed, or {@code null} if none was. */
  @Nullable String note() {
    if (changed.isEmpty()) {
      return null;
    }
    String listed =
        changed.entrySet().stream()
            .limit(LISTED)
            .map(e -> "'" + e.getKey() + "' -> '" + e.getValue() + "'")
            .collect(Collectors.joining(", "));
    String more = changed.size() > LISTED ? " and " + (changed.size() - LISTED) + " more" : "";
    return "tool names changed to letters, digits, '_', '-' and '.': " + listed + more;
  }
}
