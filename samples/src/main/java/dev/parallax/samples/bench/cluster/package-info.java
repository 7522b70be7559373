/**
 * The {@code cluster} bench workload's processes: members of a Parallax cluster started as separate
 * JVMs, the loopback backend they call, and the parent's handles on them.
 */
@NullMarked
package dev.parallax.samples.bench.cluster;

import org.jspecify.annotations.NullMarked;
