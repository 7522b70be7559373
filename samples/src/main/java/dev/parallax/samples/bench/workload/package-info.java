/**
 * The workloads of {@code parallax bench}: each runs every one of its policies in this process, one
 * after another, on the same calls, and returns what it measured. Wall-clock workloads ({@code
 * overhead}, {@code seed}) interleave their variants round by round after a warm-up and report
 * medians; the others run the real executor in virtual time.
 */
@NullMarked
package dev.parallax.samples.bench.workload;

import org.jspecify.annotations.NullMarked;
