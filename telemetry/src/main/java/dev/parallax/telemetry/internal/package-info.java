/** Implementation of the telemetry module. Not API: anything here may change at any time. */
@NullMarked
package dev.parallax.telemetry.internal;

import org.jspecify.annotations.NullMarked;
