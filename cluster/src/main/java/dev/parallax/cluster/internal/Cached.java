package dev.parallax.cluster.internal;

import java.io.Serial;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * A cached value (the map holds no nulls, a tool may return one). Internal; may change at any time.
 *
 * @param value the tool's value
 */
public record Cached(@Nullable Object value) implements Serializable {
  @Serial private static final long serialVersionUID = 1L;
}
