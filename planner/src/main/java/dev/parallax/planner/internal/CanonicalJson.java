package dev.parallax.planner.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes any value as canonical JSON: members of objects in the order of their names, however the
 * value holds them. Map entries are sorted by key, bean and record properties by name, and {@link
 * ObjectNode} members (at any depth, also inside maps and records) by name; array order is kept.
 * Values nested deeper than Jackson's limit (1,000 levels, which also stops cycles) cannot be
 * written. Thread-safe. Internal; may change at any time.
 */
public final class CanonicalJson {

  /**
   * Shares one concurrent pool of buffers instead of Jackson's per-thread ones: values are written
   * on short-lived virtual threads, which would otherwise allocate fresh buffers every time.
   */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                  .build())
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          // record components are creator properties: sort them by name too
          .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
          .addModule(
              new SimpleModule("parallax-canonical-json")
                  .addSerializer(ObjectNode.class, new SortedObjectSerializer())
                  .addSerializer(ArrayNode.class, new ArraySerializer()))
          .build();

  private CanonicalJson() {}

  /**
   * The canonical JSON text of {@code value}.
   *
   * @throws JsonProcessingException if Jackson cannot write it (no properties, a cycle, nesting too
   *     deep, map keys of types that cannot be compared)
   */
  public static String write(@Nullable Object value) throws JsonProcessingException {
    return MAPPER.writeValueAsString(value);
  }

  /**
   * The length in characters of {@code value} written as JSON, counted without keeping the text;
   * {@code -1} if Jackson cannot write it.
   */
  public static long length(@Nullable Object value) {
    CountingWriter counter = new CountingWriter();
    try {
      MAPPER.writeValue(counter, value);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return counter.count;
  }

  /** Writes the members of an object node sorted by name, each through the mapper. */
  private static final class SortedObjectSerializer extends StdSerializer<ObjectNode> {
    SortedObjectSerializer() {
      super(ObjectNode.class);
    }

    @Override
    public void serialize(ObjectNode node, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      List<String> names = new ArrayList<>(node.size());
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      gen.writeStartObject(node, names.size());
      for (String name : names) {
        gen.writeFieldName(name);
        provider.defaultSerializeValue(node.get(name), gen);
      }
      gen.writeEndObject();
    }
  }

  /**
   * Writes array elements through the mapper: {@code ArrayNode}'s own serializer would write nested
   * object nodes directly, bypassing {@link SortedObjectSerializer}.
   */
  private static final class ArraySerializer extends StdSerializer<ArrayNode> {
    ArraySerializer() {
      super(ArrayNode.class);
    }

    @Override
    public void serialize(ArrayNode node, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartArray(node, node.size());
      for (JsonNode element : node) {
        provider.defaultSerializeValue(element, gen);
      }
      gen.writeEndArray();
    }
  }

  /** Counts characters and keeps none. */
  private static final class CountingWriter extends Writer {
    long count;

    @Override
    public void write(char[] buffer, int offset, int length) {
      count += length;
    }

    @Override
    public void write(String text, int offset, int length) {
      count += length;
    }

    @Override
    public void write(int c) {
      count++;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
