/** Implementation of the cluster module; may change at any time. */
@NullMarked
package dev.parallax.cluster.internal;

import org.jspecify.annotations.NullMarked;
