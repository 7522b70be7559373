/**
 * The facade that wires every module together: {@link dev.parallax.Parallax}, built by {@link
 * dev.parallax.ParallaxBuilder}. The capabilities it wires live in their own modules: the executor
 * and its seams ({@code dev.parallax.core}), spans, metrics and records ({@code
 * dev.parallax.telemetry}), history ({@code dev.parallax.storage}), models and adaptive limits
 * ({@code dev.parallax.adaptive}), and critical-path scheduling, the result cache, fallbacks and
 * the simulator ({@code dev.parallax.planner}).
 */
@NullMarked
package dev.parallax;

import org.jspecify.annotations.NullMarked;
