/** Implementation of the history stores. Not API: anything here may change at any time. */
@NullMarked
package dev.parallax.storage.internal;

import org.jspecify.annotations.NullMarked;
