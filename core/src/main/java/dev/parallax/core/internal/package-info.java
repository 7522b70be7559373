/**
 * The executor's engine. Everything here is an implementation detail that may change at any time
 * without notice; depend only on the exported API packages.
 */
@NullMarked
package dev.parallax.core.internal;

import org.jspecify.annotations.NullMarked;
