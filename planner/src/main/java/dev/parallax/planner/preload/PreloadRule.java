package dev.parallax.planner.preload;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One learned rule, for explanation: after a call of {@code trigger}, a call of {@code target} with
 * arguments built as {@code arguments} says was made within the horizon with probability {@code
 * probability}. Counts are of distinct trigger calls (tool and arguments), so that repeated
 * sessions count once.
 *
 * @param trigger the tool whose finished call fires the rule
 * @param target the tool of the predicted call
 * @param arguments where each argument comes from, by name, such as {@code result/reservations/0}
 * @param probability the average, over distinct trigger calls, of the share of their occurrences
 *     after which the predicted call followed
 * @param support distinct trigger calls after which the predicted call followed at least once
 * @param tries distinct trigger calls after which the rule predicted a call not yet made
 * @param previous for a second-order rule, the tool of the call just before the trigger (the rule
 *     applies only after that sequence); {@code null} for a rule that applies whatever came before
 */
public record PreloadRule(
    String trigger,
    String target,
    Map<String, String> arguments,
    double probability,
    long support,
    long tries,
    @Nullable String previous) {

  /** Checks and copies the fields. */
  public PreloadRule {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(target, "target");
    arguments = Map.copyOf(arguments);
  }

  /** A rule that applies whatever came before the trigger. */
  public PreloadRule(
      String trigger,
      String target,
      Map<String, String> arguments,
      double probability,
      long support,
      long tries) {
    this(trigger, target, arguments, probability, support, tries, null);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "after %s: %s%s p=%.2f (%d/%d)",
        previous == null ? trigger : previous + " then " + trigger,
        target,
        new java.util.TreeMap<>(arguments),
        probability,
        support,
        tries);
  }
}
