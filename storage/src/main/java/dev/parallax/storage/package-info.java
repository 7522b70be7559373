/**
 * Execution history stores: an embedded on-disk default and ChromaDB. Not yet built (see the
 * storage issue).
 */
@NullMarked
package dev.parallax.storage;

import org.jspecify.annotations.NullMarked;
