package dev.parallax.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.AnnotationIntrospector;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON mappers of core. Jackson's default buffer recycling is per thread; tools run on a fresh
 * virtual thread per attempt, so that would allocate new buffers (kilobytes) for every call. These
 * mappers share one concurrent pool of buffers instead. Internal; may change at any time.
 */
public final class Json {

  /**
   * Thread-safe; lenient: unknown properties are ignored, missing ones become {@code null} or zero,
   * content after the first JSON value is ignored. Used for writing and for tools that opted into
   * lenient arguments.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                  .build())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /**
   * Thread-safe; strict, for the arguments of tool calls: unknown properties, duplicate keys (read
   * as a tree), content after the JSON value, {@code null} for a primitive, a missing or {@code
   * null} required record component (see {@link RequiredComponents}), strings where numbers are
   * expected and fractions where integers are expected all fail.
   */
  public static final ObjectMapper STRICT =
      JsonMapper.builder(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .annotationIntrospector(
              AnnotationIntrospector.pair(
                  new RequiredComponents(), new JacksonAnnotationIntrospector()))
          .build();

  private Json() {}
}
