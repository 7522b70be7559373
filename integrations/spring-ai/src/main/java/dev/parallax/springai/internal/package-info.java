/** Implementation of the Spring AI adapter. Not API: the classes here may change at any time. */
@NullMarked
package dev.parallax.springai.internal;

import org.jspecify.annotations.NullMarked;
