/**
 * Critical-path scheduling, the result cache, fallback tool swaps and the facade that wires every
 * module together. Not yet built (see the planner issue).
 */
@NullMarked
package dev.parallax.planner;

import org.jspecify.annotations.NullMarked;
