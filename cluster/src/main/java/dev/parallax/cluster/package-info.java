/**
 * Parallax on a Hazelcast cluster; start with {@link
 * dev.parallax.cluster.ParallaxCluster#builder()}.
 */
@NullMarked
package dev.parallax.cluster;

import org.jspecify.annotations.NullMarked;
