/** Implementation of the adaptive module. Not an API: everything here may change at any time. */
@NullMarked
package dev.parallax.adaptive.internal;

import org.jspecify.annotations.NullMarked;
