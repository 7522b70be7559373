package dev.parallax.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of core. Jackson's default buffer recycling is per thread; tools run on a
 * fresh virtual thread per attempt, so that would allocate new buffers (kilobytes) for every call.
 * This mapper shares one concurrent pool of buffers instead. Internal; may change at any time.
 */
public final class Json {

  /** Thread-safe; unknown properties in JSON arguments are ignored. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                  .build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}
}
