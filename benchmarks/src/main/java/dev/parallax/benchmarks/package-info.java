/**
 * Parallax benchmarks: a JMH microbenchmark of the executor's overhead and wall-clock scenarios
 * with sleeping tools. Every figure is a ratio against a baseline measured in the same run; {@link
 * dev.parallax.benchmarks.BenchmarkMain} runs them all and prints a summary.
 */
package dev.parallax.benchmarks;
