package dev.parallax.analysis.internal;

import dev.parallax.planner.sim.SimulatedCall;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/*
 * Categorical features are one-hot: a task that ran on machine worker-4 carries the numeric feature
 * "machine=worker-4" with value 1, and nothing for the other machines (the models read an absent
 * feature as 0). The name before '=' is the category, the rest its value.
 *
 * The unseen-value rule: a model learns what a category value does only from the training rows
 * that carry it. For a value it never saw for that tool, every one of its indicators is 0 — a
 * combination that no training row of the tool had — and what it answers is an extrapolation
 * (the intercept of a linear model, the branch of a tree that split on another value, the nearest
 * rows of other values). Such a call is outside the model's reach, and the tool's mean answers,
 * whatever the model type. A call with no value for a category (a tool without a machine) is not
 * concerned.
 *
 * The rule also holds when the model does not learn from the category (MachineFeature.REACH_ONLY,
 * analyze's default): the tool's training tasks all ran on the machines they name, and a task on
 * another machine lies outside what the model was shown, whether or not the model reads the
 * machine. As a model input, the machine is confounded with the instance (most instances run
 * mostly on one or two machines): on the committed WfInstances it let the gate pass models that
 * did worse on other instances (see the models6 report). Both the rule and that default were chosen
 * after seeing the leave-one-instance-out table, srasearch 10a-001 in particular.
 */
/**
 * One-hot categorical features of recorded tasks, and which values each tool's training tasks
 * carried. Immutable once built; thread-safe. Internal; may change at any time.
 */
public final class Categories {

  /** The category of the machine (host) a task ran on: {@code machine=NODE}. */
  public static final String MACHINE = "machine";

  private final Map<String, Set<String>> seenByTool;

  private Categories(Map<String, Set<String>> seenByTool) {
    this.seenByTool = seenByTool;
  }

  /** The feature name of {@code value} of {@code category}: {@code category=value}. */
  public static String feature(String category, String value) {
    return category + "=" + value;
  }

  /** Whether {@code feature} is a one-hot categorical feature ({@code category=value}). */
  public static boolean isCategorical(String feature) {
    return feature.indexOf('=') > 0;
  }

  /** Whether {@code feature} is a value of {@code category}. */
  public static boolean isOf(String feature, String category) {
    return feature.startsWith(category + "=");
  }

  /** The categorical values that the tasks of each tool in {@code training} carry. */
  public static Categories seenIn(List<SimulatedCall> training) {
    Map<String, Set<String>> seen = new HashMap<>();
    for (SimulatedCall call : training) {
      Set<String> values = seen.computeIfAbsent(call.tool(), k -> new HashSet<>());
      for (Map.Entry<String, Double> f : call.features().entrySet()) {
        if (isCategorical(f.getKey()) && f.getValue() != 0) {
          values.add(f.getKey());
        }
      }
    }
    return new Categories(seen);
  }

  /**
   * The first categorical value of {@code call} that no training task of its tool carried, or
   * {@code null} if there is none (or the tool had no training task: the prior answers it anyway).
   */
  public @Nullable String unseen(String tool, Map<String, Double> features) {
    Set<String> values = seenByTool.get(tool);
    if (values == null) {
      return null;
    }
    for (Map.Entry<String, Double> f : features.entrySet()) {
      if (isCategorical(f.getKey()) && f.getValue() != 0 && !values.contains(f.getKey())) {
        return f.getKey();
      }
    }
    return null;
  }
}
