/**
 * Shared learning across a Parallax cluster: records of every member feed one model, trained by one
 * member and loaded by all. Needs {@code parallax-adaptive} on the class path (an optional
 * dependency of {@code parallax-cluster}).
 */
@NullMarked
package dev.parallax.cluster.learning;

import org.jspecify.annotations.NullMarked;
