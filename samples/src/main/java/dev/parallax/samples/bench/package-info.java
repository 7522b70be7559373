/**
 * {@code parallax bench}: runs the benchmark workloads in this process and reports their figures on
 * the terminal, as JSON ({@code --json}) and as an HTML page with charts ({@code --html}).
 */
@NullMarked
package dev.parallax.samples.bench;

import org.jspecify.annotations.NullMarked;
