/** Runnable demonstrations of Parallax, used by {@code parallax demo}. */
@NullMarked
package dev.parallax.samples.demo;

import org.jspecify.annotations.NullMarked;
