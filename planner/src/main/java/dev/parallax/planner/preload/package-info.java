/**
 * Speculative preloading: a small, explainable model of which calls follow which ({@link
 * dev.parallax.planner.preload.PreloadModel}), the options that start predicted calls of
 * idempotent, cacheable tools early into the result cache ({@link
 * dev.parallax.planner.preload.Preloading}), and a virtual-time replay of recorded sessions that
 * measures what it saves and wastes ({@link dev.parallax.planner.preload.PreloadReplay}).
 */
@NullMarked
package dev.parallax.planner.preload;

import org.jspecify.annotations.NullMarked;
