/** Tests of the embedded store. */
@NullMarked
package dev.parallax.storage.embedded;

import org.jspecify.annotations.NullMarked;
