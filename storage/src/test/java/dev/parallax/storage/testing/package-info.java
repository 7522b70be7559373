/** Test helpers: records, a Chroma server. */
@NullMarked
package dev.parallax.storage.testing;

import org.jspecify.annotations.NullMarked;
