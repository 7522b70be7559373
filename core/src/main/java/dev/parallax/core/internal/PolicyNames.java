package dev.parallax.core.internal;

import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks of the names policies are keyed by: the form of a tool or capability name (as {@link
 * dev.parallax.core.tool.ToolSpec} requires it), and, when the executor knows its tools, that each
 * name exists. Internal; may change at any time.
 */
public final class PolicyNames {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private PolicyNames() {}

  /**
   * Checks the form of a tool or capability name.
   *
   * @throws IllegalArgumentException naming {@code what} and the value if it is not a valid name
   */
  public static void requireValid(String what, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " '" + name + "' is invalid: use 1 to 64 letters, digits, '_', '-' or '.'");
    }
  }

  /**
   * Checks the policies against the tools the executor will run.
   *
   * @throws IllegalArgumentException naming the first tool or capability that is unknown, or the
   *     first tool whose capability policies are ambiguous
   */
  public static void check(ToolPolicies policies, ToolRegistry tools) {
    Set<String> toolNames = new TreeSet<>();
    Set<String> capabilities = new TreeSet<>();
    for (Tool<?, ?> tool : tools.tools()) {
      toolNames.add(tool.name());
      capabilities.addAll(tool.spec().capabilities());
    }
    for (String name : new TreeSet<>(policies.toolNames())) {
      if (!toolNames.contains(name)) {
        throw new IllegalArgumentException(
            "a policy names tool '" + name + "', which is not a known tool " + toolNames);
      }
    }
    for (String name : new TreeSet<>(policies.capabilityNames())) {
      if (!capabilities.contains(name)) {
        throw new IllegalArgumentException(
            "a policy names capability '"
                + name
                + "', which no known tool declares "
                + capabilities);
      }
    }
    for (Tool<?, ?> tool : tools.tools()) {
      policies.resolve(tool); // throws if ambiguous
    }
  }
}
