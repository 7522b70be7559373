package dev.parallax.planner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Walks JSON values: the pointers of the scalars equal to a value, and the successor of a value in
 * a list of scalars. Bounded: at most {@link #MAX_NODES} nodes of a value are visited. Internal;
 * may change at any time.
 */
public final class JsonLeaves {

  /** The most nodes one walk visits; larger values are only partly searched. */
  public static final int MAX_NODES = 20_000;

  private JsonLeaves() {}

  /** JSON pointers of the non-null scalars of {@code root} equal to {@code value}. */
  public static List<String> pointersOf(JsonNode root, JsonNode value) {
    List<String> found = new ArrayList<>();
    walk(root, "", value, found, new int[] {0});
    return found;
  }

  private static void walk(JsonNode node, String at, JsonNode value, List<String> found, int[] n) {
    if (++n[0] > MAX_NODES) {
      return;
    }
    if (node.isValueNode()) {
      if (!node.isNull() && node.equals(value)) {
        found.add(at);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), at + "/" + i, value, found, n);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        walk(e.getValue(), at + "/" + escape(e.getKey()), value, found, n);
      }
    }
  }

  /**
   * The element after the first occurrence of {@code value} in an array of {@code root} (at any
   * depth) whose next element is a non-null scalar, or {@code null}.
   */
  public static @Nullable JsonNode successor(JsonNode root, JsonNode value) {
    return successor(root, value, new int[] {0});
  }

  private static @Nullable JsonNode successor(JsonNode node, JsonNode value, int[] n) {
    if (++n[0] > MAX_NODES || node.isValueNode()) {
      return null;
    }
    if (node.isArray()) {
      for (int i = 0; i + 1 < node.size(); i++) {
        JsonNode next = node.get(i + 1);
        if (node.get(i).equals(value) && next.isValueNode() && !next.isNull()) {
          return next;
        }
      }
    }
    for (JsonNode child : node) {
      JsonNode found = successor(child, value, n);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The non-null scalars of {@code root} by JSON pointer, in document order. */
  public static Map<String, JsonNode> scalars(JsonNode root) {
    Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
    scalars(root, "", found, new int[] {0});
    return found;
  }

  private static void scalars(JsonNode node, String at, Map<String, JsonNode> found, int[] n) {
    if (++n[0] > MAX_NODES) {
      return;
    }
    if (node.isValueNode()) {
      if (!node.isNull()) {
        found.put(at, node);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        scalars(node.get(i), at + "/" + i, found, n);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        scalars(e.getValue(), at + "/" + escape(e.getKey()), found, n);
      }
    }
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
