/**
 * Writers of a {@link dev.parallax.samples.bench.model.BenchReport}: the JSON whose field names are
 * a contract, and a self-contained HTML page with inline SVG charts.
 */
@NullMarked
package dev.parallax.samples.bench.output;

import org.jspecify.annotations.NullMarked;
