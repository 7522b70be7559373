/**
 * Trace-driven analysis of recorded workflows: read traces with {@link
 * dev.parallax.analysis.TraceReaders}, analyse them with {@link dev.parallax.analysis.Analyzer}.
 *
 * <pre>{@code
 * Analysis analysis = Analyzer.builder()
 *     .slots(8)                                 // simulated concurrency
 *     .trainingSplit(TrainingSplit.REST)        // what the latency model learns from
 *     .build()
 *     .analyze(List.of(Path.of("trace.jsonl"), Path.of("montage.json")));
 * for (InputAnalysis input : analysis.inputs()) {
 *   input.criticalPathLength();                 // no schedule finishes sooner
 *   input.simulated().learned();                // makespan under learned priority
 *   input.model().maeLogLatency();              // model error next to baselineMaeLogLatency()
 * }
 * }</pre>
 *
 * <p>Inputs: OTLP-JSON trace files as Parallax's trace exporter writes them (one run per Parallax
 * run, its graph rebuilt from {@code parallax.depends_on}; needs {@code parallax-telemetry} on the
 * class or module path) and WfCommons WfFormat instances (schema 1.4 to 1.6).
 */
@NullMarked
package dev.parallax.analysis;

import org.jspecify.annotations.NullMarked;
