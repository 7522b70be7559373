package dev.parallax.core.internal;

import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.policy.ToolPolicy;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The executor's policies: its defaults, the policies of tools and of capabilities, and what
 * applies to a given tool. Immutable and thread-safe. Internal; may change at any time.
 *
 * <p>Resolution, option by option: the tool's own policy if it sets the option, else the one value
 * the policies of the tool's capabilities set for it, else the executor's default. Capabilities
 * that set one option to different values are ambiguous: {@link #resolve} rejects the tool. Without
 * any tool or capability policy every tool gets {@link #defaults()} at no cost; without capability
 * policies a tool costs one map lookup.
 */
public final class ToolPolicies {

  /**
   * What applies to the calls of one tool.
   *
   * @param attemptTimeout {@code null} for none
   * @param attemptTimeoutNanos the same in nanoseconds, {@link Long#MAX_VALUE} for none (or too
   *     long to count)
   * @param maxConcurrency {@link Integer#MAX_VALUE} for no limit of the tool's own
   */
  public record Effective(
      RetryPolicy retry,
      @Nullable Duration attemptTimeout,
      long attemptTimeoutNanos,
      int maxConcurrency) {

    static Effective of(RetryPolicy retry, @Nullable Duration timeout, int maxConcurrency) {
      long nanos = timeout == null ? Long.MAX_VALUE : Durations.toNanosSaturated(timeout);
      return new Effective(retry, nanos == Long.MAX_VALUE ? null : timeout, nanos, maxConcurrency);
    }
  }

  private final Effective defaults;
  private final Map<String, ToolPolicy> tools;
  private final Map<String, ToolPolicy> capabilities;
  private final Map<String, Effective> ownOnly; // tools' policies over the defaults
  private final boolean anyLimits;

  private ToolPolicies(
      RetryPolicy retry,
      @Nullable Duration attemptTimeout,
      Map<String, ToolPolicy> tools,
      Map<String, ToolPolicy> capabilities) {
    this.defaults = Effective.of(retry, attemptTimeout, Integer.MAX_VALUE);
    this.tools = Map.copyOf(tools);
    this.capabilities = Map.copyOf(capabilities);
    Map<String, Effective> own = new HashMap<>();
    boolean limits = false;
    for (Map.Entry<String, ToolPolicy> e : this.tools.entrySet()) {
      own.put(e.getKey(), overDefaults(e.getValue()));
      limits |= e.getValue().maxConcurrency().isPresent();
    }
    for (ToolPolicy p : this.capabilities.values()) {
      limits |= p.maxConcurrency().isPresent();
    }
    this.ownOnly = Map.copyOf(own);
    this.anyLimits = limits;
  }

  /** The executor's defaults with policies by tool name and by capability. */
  public static ToolPolicies of(
      RetryPolicy retry,
      @Nullable Duration attemptTimeout,
      Map<String, ToolPolicy> tools,
      Map<String, ToolPolicy> capabilities) {
    return new ToolPolicies(retry, attemptTimeout, tools, capabilities);
  }

  /** Only defaults: every tool gets them. */
  public static ToolPolicies defaultsOnly(RetryPolicy retry, @Nullable Duration attemptTimeout) {
    return new ToolPolicies(retry, attemptTimeout, Map.of(), Map.of());
  }

  /** The default admission control: these limits, and one at a time for unsafe tools. */
  public AdmissionControl admissionControl() {
    boolean limits = anyLimits;
    return (runId, capacityAvailable) -> new FixedToolLimits(this::limitOf, limits);
  }

  /** A new run's fixed limits: these limits, and one at a time for unsafe tools. */
  FixedToolLimits fixedLimits() {
    return new FixedToolLimits(this::limitOf, anyLimits);
  }

  /**
   * A custom admission control under these limits: a call starts when both admit it, so a custom
   * admission (adaptive concurrency, a rate limiter) never lifts a tool's limit or lets a tool that
   * is not concurrency-safe run twice at once.
   */
  public AdmissionControl admissionControl(AdmissionControl custom) {
    boolean limits = anyLimits;
    return (runId, capacityAvailable) -> {
      Admission opened = custom.open(runId, capacityAvailable);
      Objects.requireNonNull(opened, "the admission control gave no admission");
      return new LayeredAdmission(new FixedToolLimits(this::limitOf, limits), opened);
    };
  }

  /** What applies to a tool named by no policy. */
  public Effective defaults() {
    return defaults;
  }

  /** Whether some tool or capability policy sets a concurrency limit. */
  public boolean anyLimits() {
    return anyLimits;
  }

  /** Tools named by a policy. */
  public java.util.Set<String> toolNames() {
    return tools.keySet();
  }

  /** Capabilities named by a policy. */
  public java.util.Set<String> capabilityNames() {
    return capabilities.keySet();
  }

  /**
   * What applies to the tool's calls.
   *
   * @throws IllegalArgumentException if two of its capabilities' policies set an option the tool's
   *     own policy does not set to different values; the message names the tool, the capabilities
   *     and the option
   */
  public Effective resolve(Tool<?, ?> tool) {
    ToolSpec spec = tool.spec();
    if (capabilities.isEmpty() || spec.capabilities().isEmpty()) {
      if (tools.isEmpty()) {
        return defaults;
      }
      Effective own = ownOnly.get(spec.name());
      return own != null ? own : defaults;
    }
    Map<String, ToolPolicy> matching = new TreeMap<>(); // sorted: stable messages
    for (String capability : spec.capabilities()) {
      ToolPolicy p = capabilities.get(capability);
      if (p != null) {
        matching.put(capability, p);
      }
    }
    ToolPolicy own = tools.get(spec.name());
    if (matching.isEmpty()) {
      return own == null ? defaults : ownOnly.get(spec.name());
    }
    ToolPolicy none = ToolPolicy.ofDefaults();
    ToolPolicy mine = own == null ? none : own;
    RetryPolicy retry =
        pick(spec, "retry", mine.retry(), matching, ToolPolicy::retry, defaults.retry());
    Duration timeout =
        pick(
            spec,
            "attemptTimeout",
            mine.attemptTimeout(),
            matching,
            ToolPolicy::attemptTimeout,
            defaults.attemptTimeout());
    Integer limit =
        pick(
            spec,
            "maxConcurrency",
            boxed(mine.maxConcurrency()),
            matching,
            p -> boxed(p.maxConcurrency()),
            defaults.maxConcurrency());
    return Effective.of(retry, timeout, limit);
  }

  /**
   * The most calls of the tool running at once in a run: 1 if it is not concurrency-safe, else its
   * policy's limit ({@link Integer#MAX_VALUE} for none).
   */
  public int limitOf(Tool<?, ?> tool) {
    if (!tool.spec().concurrencySafe()) {
      return 1;
    }
    return anyLimits ? resolve(tool).maxConcurrency() : Integer.MAX_VALUE;
  }

  private Effective overDefaults(ToolPolicy p) {
    return Effective.of(
        p.retry().orElse(defaults.retry()),
        p.attemptTimeout().isPresent() ? p.attemptTimeout().get() : defaults.attemptTimeout(),
        p.maxConcurrency().orElse(defaults.maxConcurrency()));
  }

  private static Optional<Integer> boxed(OptionalInt value) {
    return value.isPresent() ? Optional.of(value.getAsInt()) : Optional.empty();
  }

  private static <T> @Nullable T pick(
      ToolSpec spec,
      String option,
      Optional<T> own,
      Map<String, ToolPolicy> matching,
      Function<ToolPolicy, Optional<T>> get,
      @Nullable T fallback) {
    if (own.isPresent()) {
      return own.get();
    }
    T chosen = null;
    String chosenFrom = null;
    List<String> setters = new ArrayList<>(2);
    boolean conflict = false;
    for (Map.Entry<String, ToolPolicy> e : matching.entrySet()) {
      Optional<T> value = get.apply(e.getValue());
      if (value.isEmpty()) {
        continue;
      }
      setters.add(e.getKey() + "=" + value.get());
      if (chosenFrom == null) {
        chosen = value.get();
        chosenFrom = e.getKey();
      } else if (!chosen.equals(value.get())) {
        conflict = true;
      }
    }
    if (conflict) {
      throw new IllegalArgumentException(
          "tool '"
              + spec.name()
              + "' has capabilities whose policies set "
              + option
              + " differently ("
              + String.join(", ", setters)
              + "); set "
              + option
              + " in a toolPolicy for '"
              + spec.name()
              + "'");
    }
    return chosenFrom != null ? chosen : fallback;
  }
}
