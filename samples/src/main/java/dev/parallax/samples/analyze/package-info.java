/**
 * {@code parallax analyze}: argument parsing and the text, JSON and HTML reports around the
 * analysis library ({@code dev.parallax.analysis}), which reads OTLP-JSON trace files and WfCommons
 * WfFormat instances and computes per-tool statistics, the learned latency model's accuracy, the
 * critical path and lower bound, and the makespans the virtual-time simulator gives under FIFO,
 * learned and oracle priority. Also a generator of WfFormat instances shaped like real scientific
 * workflows.
 */
@NullMarked
package dev.parallax.samples.analyze;

import org.jspecify.annotations.NullMarked;
