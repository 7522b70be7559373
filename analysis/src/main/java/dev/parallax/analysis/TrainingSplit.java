package dev.parallax.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which tasks the latency model learns from before it is scored on an input, and which tasks it is
 * scored on.
 */
public enum TrainingSplit {
  /**
   * Learns from every task of the other inputs and from four of every five tasks of this input;
   * scored on the rest of this input: its 5th, 10th, 15th... task in file order (its last task if
   * it has fewer than five).
   */
  REST,
  /**
   * Learns from the other inputs only; scored on every task of this input. Needs two inputs or
   * more.
   */
  OTHERS;

  /** The name used on the command line and in reports: {@code rest} or {@code others}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether task {@code index} (from 0) of an input with {@code size} tasks is scored. */
  boolean scored(int index, int size) {
    return this == OTHERS || (size < 5 ? index == size - 1 : index % 5 == 4);
  }

  /**
   * Splits the tasks of input {@code target} and of the other inputs into training and scored
   * tasks.
   *
   * @param inputs every input's tasks, in input order
   * @param target the input to score
   * @param <T> the task type
   */
  <T> Split<T> split(List<List<T>> inputs, int target) {
    List<T> training = new ArrayList<>();
    List<T> scored = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      List<T> tasks = inputs.get(i);
      for (int t = 0; t < tasks.size(); t++) {
        if (i != target) {
          training.add(tasks.get(t));
        } else if (scored(t, tasks.size())) {
          scored.add(tasks.get(t));
        } else if (this == REST) {
          training.add(tasks.get(t));
        }
      }
    }
    return new Split<>(training, scored);
  }

  /**
   * Tasks to learn from and tasks to score on.
   *
   * @param training tasks the model learns from
   * @param scored tasks it is scored on
   * @param <T> the task type
   */
  record Split<T>(List<T> training, List<T> scored) {}
}
