package dev.parallax.analysis;

import java.util.Locale;

/**
 * What the leave-one-instance-out evaluation does with the machine (host) a WfFormat task ran on,
 * read as the one-hot categorical feature {@code machine=NODE}.
 *
 * <p>The workflow's scheduler places a task on a machine before the task starts, so the machine is
 * known when the task is dispatched (though not when it is submitted: a scheduler that orders the
 * queue before placing does not know it yet). A Parallax call has no machine; this concerns only
 * recorded workflows.
 */
public enum MachineFeature {
  /**
   * The machine only bounds the model's reach: with the unseen-value rule, a task on a machine its
   * tool never ran on in training is answered by the tool's mean; the model does not learn from the
   * machine. The default.
   */
  REACH_ONLY,
  /** The model also learns from the machine (and the rule, if on, bounds its reach). */
  MODEL_INPUT,
  /** The machine is removed from every task: neither the model nor the rule sees it. */
  OFF;

  /**
   * The name on the command line and in reports: {@code reach-only}, {@code model-input}, {@code
   * off}.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
