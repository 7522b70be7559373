/** The {@code parallax} command line. */
@NullMarked
package dev.parallax.samples.cli;

import org.jspecify.annotations.NullMarked;
