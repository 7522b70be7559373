/** Tests of the Chroma store against a real Chroma server. */
@NullMarked
package dev.parallax.storage.chroma;

import org.jspecify.annotations.NullMarked;
