/**
 * The facade that wires every module together ({@link dev.parallax.planner.Parallax}, built by
 * {@link dev.parallax.planner.ParallaxBuilder}). The capabilities it wires live in the
 * sub-packages: critical-path scheduling ({@code schedule}), the Caffeine result cache with single
 * flight ({@code cache}), fallback tool swaps ({@code fallback}) and the virtual-time simulator
 * ({@code sim}).
 */
@NullMarked
package dev.parallax.planner;

import org.jspecify.annotations.NullMarked;
