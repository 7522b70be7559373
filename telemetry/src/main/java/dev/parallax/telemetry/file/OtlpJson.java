package dev.parallax.telemetry.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/*
 * OTLP/JSON is protobuf's JSON mapping with deviations (OTLP specification, "JSON Protobuf
 * Encoding"): trace and span ids are hex strings, where protobuf writes bytes as base64; enums are
 * integers (protobuf also accepts names, which OTLP forbids but other writers produce); field names
 * are lowerCamelCase. JsonFormat does not know the first, so ids are rewritten on a JSON tree
 * between JsonFormat and the file: base64 → hex when writing, hex → base64 when reading. Only the
 * id fields of spans and links are touched; byte-valued attributes stay base64, as the
 * specification requires.
 *
 * Reading also checks each span before JsonFormat sees it, so one bad span costs that span and not
 * its whole line: a span whose ids are not 16/8 bytes (hex, or base64 from non-conforming writers)
 * is dropped with a problem. Enums: a number outside the enum stays UNRECOGNIZED (proto3 enums are
 * open); a name JsonFormat does not know would be dropped silently, so it becomes UNKNOWN_ENUM,
 * which is UNRECOGNIZED too. The reader counts both as defaulted.
 */

/** OTLP/JSON text ↔ the official {@link ExportTraceServiceRequest}. Stateless, thread-safe. */
final class OtlpJson {

  /** Signals a line that is not an OTLP/JSON trace request; the message says why. */
  static final class MalformedLineException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean endOfInput;

    MalformedLineException(String message) {
      this(message, false);
    }

    MalformedLineException(String message, boolean endOfInput) {
      super(message);
      this.endOfInput = endOfInput;
    }

    /** Whether the line ended in the middle of the JSON value: cut short. */
    boolean endOfInput() {
      return endOfInput;
    }
  }

  /**
   * A parsed line.
   *
   * @param request the request, without the spans and links that could not be read
   * @param problems what could not be read, one message each
   * @param droppedSpans how many spans were left out
   */
  record Parsed(ExportTraceServiceRequest request, List<String> problems, int droppedSpans) {}

  /** An enum number no OTLP enum uses: marks an unknown value for the reader to count. */
  static final int UNKNOWN_ENUM = -1;

  private static final int TRACE_ID_BYTES = 16;
  private static final int SPAN_ID_BYTES = 8;

  private static final JsonMapper MAPPER =
      // Numbers pass through unchanged: integers exactly, doubles as the same double (printed
      // shortest-form, -0.0 included), 64-bit integers as the strings JsonFormat writes.
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().printingEnumsAsInts().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final HexFormat HEX = HexFormat.of();

  private OtlpJson() {}

  /** The request as one line of OTLP/JSON, without the line break. */
  static String print(ExportTraceServiceRequest request) {
    try {
      JsonNode tree = MAPPER.readTree(PRINTER.print(request));
      forEachSpansArray(
          tree,
          spans -> {
            for (JsonNode span : spans) {
              base64ToHex(span, "traceId", "spanId", "parentSpanId");
              for (JsonNode link : array(span, "links")) {
                base64ToHex(link, "traceId", "spanId");
              }
            }
          });
      return MAPPER.writeValueAsString(tree);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      // JsonFormat fails only on Any fields, which trace requests do not have
      throw new IllegalStateException("cannot print an OTLP trace request", e);
    }
  }

  /**
   * Parses one line: an {@code ExportTraceServiceRequest}, or a bare {@code ResourceSpans} as some
   * writers put on each line. Spans with unreadable ids are dropped and reported.
   *
   * @throws MalformedLineException if the line is not JSON or not an OTLP trace request
   */
  static Parsed parse(String line) throws MalformedLineException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      String column =
          e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
      throw new MalformedLineException(
          "not JSON: " + e.getOriginalMessage() + column,
          e instanceof com.fasterxml.jackson.core.io.JsonEOFException);
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new MalformedLineException("not a JSON object but " + tree.getNodeType());
    }
    if (field(root, "resourceSpans", "resource_spans") == null) {
      if (field(root, "scopeSpans", "scope_spans") != null) {
        ObjectNode wrapper = MAPPER.createObjectNode();
        wrapper.putArray("resourceSpans").add(root);
        root = wrapper;
      } else if (!root.isEmpty()) {
        throw new MalformedLineException(
            "not an OTLP trace request: no resourceSpans, only " + fieldNames(root));
      }
    }
    List<String> problems = new ArrayList<>(0);
    int[] dropped = {0};
    forEachSpansArray(
        root,
        spans -> {
          int before = spans.size();
          checkSpans(spans, problems::add);
          dropped[0] += before - spans.size();
        });
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    try {
      PARSER.merge(MAPPER.writeValueAsString(root), request);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new MalformedLineException("not an OTLP trace request: " + e.getMessage());
    }
    return new Parsed(request.build(), List.copyOf(problems), dropped[0]);
  }

  /** Drops unreadable spans and links, converts ids to base64 and marks unknown enum values. */
  private static void checkSpans(ArrayNode spans, Consumer<String> problems) {
    List<JsonNode> kept = new ArrayList<>(spans.size());
    for (JsonNode span : spans) {
      if (!(span instanceof ObjectNode object)) {
        kept.add(span); // JsonFormat rejects the line with its own message
        continue;
      }
      String what = "span '" + span.path("name").asText("") + "'";
      String bad =
          readId(object, TRACE_ID_BYTES, true, "traceId", "trace_id")
              + readId(object, SPAN_ID_BYTES, true, "spanId", "span_id");
      if (!bad.isEmpty()) {
        problems.accept(what + ":" + bad + "; span skipped");
        continue;
      }
      String badParent = readId(object, SPAN_ID_BYTES, false, "parentSpanId", "parent_span_id");
      if (!badParent.isEmpty()) {
        problems.accept(what + ":" + badParent + "; read as a root span");
      }
      markUnknownEnum(object, "kind", Span.SpanKind.getDescriptor());
      if (object.get("status") instanceof ObjectNode status) {
        markUnknownEnum(status, "code", Status.StatusCode.getDescriptor());
      }
      if (object.get("links") instanceof ArrayNode links) {
        List<JsonNode> keptLinks = new ArrayList<>(links.size());
        for (JsonNode link : links) {
          String badLink =
              link instanceof ObjectNode l
                  ? readId(l, TRACE_ID_BYTES, true, "traceId", "trace_id")
                      + readId(l, SPAN_ID_BYTES, true, "spanId", "span_id")
                  : "";
          if (badLink.isEmpty()) {
            keptLinks.add(link);
          } else {
            problems.accept(what + ": link" + badLink + "; link skipped");
          }
        }
        links.removeAll().addAll(keptLinks);
      }
      kept.add(span);
    }
    spans.removeAll().addAll(kept);
  }

  /**
   * Rewrites an id field as base64 for JsonFormat. Returns {@code ""} if it is fine, else a
   * description of what is wrong; a bad or all-zero optional id is removed.
   */
  private static String readId(
      ObjectNode owner, int bytes, boolean required, String name, String snakeName) {
    String key = owner.has(name) || !owner.has(snakeName) ? name : snakeName;
    JsonNode node = owner.get(key);
    if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
      return required ? " no " + name : "";
    }
    byte[] id = node.isTextual() ? decodeId(node.asText(), bytes) : null;
    if (id == null || isZero(id)) {
      if (!required) {
        owner.remove(key);
        return id == null ? " invalid " + name + " " + node : "";
      }
      return " invalid "
          + name
          + " "
          + node
          + (id == null ? " (want " + 2 * bytes + " hex digits)" : " (all zero)");
    }
    owner.put(key, Base64.getEncoder().encodeToString(id));
    return "";
  }

  /** Hex (the OTLP form) or base64 (protobuf's, from non-conforming writers) of the right size. */
  private static byte @Nullable [] decodeId(String text, int bytes) {
    if (text.length() == 2 * bytes && text.chars().allMatch(HexFormat::isHexDigit)) {
      return HEX.parseHex(text);
    }
    try {
      byte[] id = Base64.getDecoder().decode(text);
      return id.length == bytes ? id : null;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private static boolean isZero(byte[] id) {
    for (byte b : id) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void markUnknownEnum(ObjectNode owner, String name, EnumDescriptor type) {
    JsonNode value = owner.get(name);
    if (value == null || value.isNull() || value.isIntegralNumber() && value.canConvertToInt()) {
      return;
    }
    if (value.isTextual()) {
      String text = value.asText().trim();
      if (type.findValueByName(text) != null) {
        return;
      }
      try {
        owner.put(name, Integer.parseInt(text));
        return;
      } catch (NumberFormatException notANumber) {
        // unknown name: marked below
      }
    }
    owner.put(name, UNKNOWN_ENUM);
  }

  private static void base64ToHex(JsonNode owner, String... names) {
    if (owner instanceof ObjectNode object) {
      for (String name : names) {
        JsonNode value = object.get(name);
        if (value != null && value.isTextual()) {
          object.put(name, HEX.formatHex(Base64.getDecoder().decode(value.asText())));
        }
      }
    }
  }

  /** Each {@code resourceSpans[].scopeSpans[].spans} array. */
  private static void forEachSpansArray(JsonNode request, Consumer<ArrayNode> visitor) {
    for (JsonNode resourceSpans : array(request, "resourceSpans", "resource_spans")) {
      for (JsonNode scopeSpans : array(resourceSpans, "scopeSpans", "scope_spans")) {
        if (scopeSpans.get("spans") instanceof ArrayNode spans) {
          visitor.accept(spans);
        }
      }
    }
  }

  private static Iterable<JsonNode> array(JsonNode owner, String... names) {
    for (String name : names) {
      if (owner.get(name) instanceof ArrayNode array) {
        return array;
      }
    }
    return List.of();
  }

  private static @Nullable JsonNode field(ObjectNode owner, String name, String snakeName) {
    JsonNode value = owner.get(name);
    return value != null ? value : owner.get(snakeName);
  }

  private static List<String> fieldNames(ObjectNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
