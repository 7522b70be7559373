/**
 * {@code parallax analyze}: trace-driven analysis of recorded workflows (OTLP-JSON trace files and
 * WfCommons WfFormat instances) — per-tool statistics, the learned latency model's accuracy, the
 * critical path and lower bound, and the makespans the virtual-time simulator gives under FIFO,
 * learned and oracle priority. Also a generator of WfFormat instances shaped like real scientific
 * workflows.
 */
@NullMarked
package dev.parallax.samples.analyze;

import org.jspecify.annotations.NullMarked;
