/**
 * Parallax analysis: trace-driven analysis as a library — readers of OTLP-JSON trace files and
 * WfCommons WfFormat instances, per-tool statistics, the critical path and lower bound, the learned
 * latency model's score next to the per-tool mean, and the makespans the planner's virtual-time
 * simulator gives under FIFO, learned and oracle priority.
 *
 * <p>Reading OTLP-JSON needs {@code dev.parallax.telemetry} (an optional dependency: add {@code
 * parallax-telemetry}); WfFormat analysis does not.
 */
module dev.parallax.analysis {
  requires transitive dev.parallax.core;
  requires transitive dev.parallax.planner;
  requires transitive dev.parallax.adaptive;
  requires dev.parallax.storage;
  requires com.fasterxml.jackson.databind;
  requires static dev.parallax.telemetry;
  requires static org.jspecify;
  requires java.logging;

  exports dev.parallax.analysis;
}
