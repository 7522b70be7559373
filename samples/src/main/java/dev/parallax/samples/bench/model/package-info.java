/**
 * What a benchmark run measured, as plain data: per-policy figures, workload fields and chart data,
 * shared by the JSON and HTML writers. Nothing here measures anything.
 */
@NullMarked
package dev.parallax.samples.bench.model;

import org.jspecify.annotations.NullMarked;
