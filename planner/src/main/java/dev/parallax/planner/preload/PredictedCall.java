package dev.parallax.planner.preload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A call the model expects the agent to make soon.
 *
 * @param tool the tool's name
 * @param arguments the predicted arguments
 * @param probability the rule's empirical probability that a call predicted this way was made
 *     (within the learning horizon), from 0 to 1
 * @param support how many predictions of the rule came true in the history it learned from
 * @param rule the rule, in words, for logs and spans
 */
public record PredictedCall(
    String tool, ObjectNode arguments, double probability, long support, String rule) {

  /** Checks the fields. */
  public PredictedCall {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(rule, "rule");
  }
}
