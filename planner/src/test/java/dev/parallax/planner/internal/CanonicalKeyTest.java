package dev.parallax.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalKeyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Filter(String lang, int year) {}

  record Query(String q, int limit, Filter filter) {}

  /** A bean: properties in declaration order, not sorted. */
  public static final class Bean {
    public String zeta = "z";
    public String alpha = "a";
  }

  /** A value that refers to itself through another. */
  public static final class Link {
    public Link other = this;
  }

  @Test
  void jsonRecordAndMap_withTheSameMembers_areOneKey() throws Exception {
    JsonNode json =
        JSON.readTree("{\"q\":\"jvm\",\"limit\":5,\"filter\":{\"year\":2024,\"lang\":\"en\"}}");
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("q", "jvm");
    map.put("filter", Map.of("year", 2024, "lang", "en"));
    map.put("limit", 5);
    Query record = new Query("jvm", 5, new Filter("en", 2024));

    CanonicalKey key = CanonicalKey.of("search", json);
    assertThat(key.arguments())
        .isEqualTo("{\"filter\":{\"lang\":\"en\",\"year\":2024},\"limit\":5,\"q\":\"jvm\"}");
    assertThat(CanonicalKey.of("search", map)).isEqualTo(key);
    assertThat(CanonicalKey.of("search", record)).isEqualTo(key);
  }

  @Test
  void objectsInsideArraysAndMaps_areSorted_andArrayOrderIsKept() throws Exception {
    JsonNode nested = JSON.readTree("{\"b\":[{\"y\":1,\"x\":2},3],\"a\":{\"d\":1,\"c\":2}}");
    Map<String, Object> holder = Map.of("node", nested);

    assertThat(CanonicalKey.of("t", nested).arguments())
        .isEqualTo("{\"a\":{\"c\":2,\"d\":1},\"b\":[{\"x\":2,\"y\":1},3]}");
    assertThat(CanonicalKey.of("t", holder).arguments())
        .isEqualTo("{\"node\":{\"a\":{\"c\":2,\"d\":1},\"b\":[{\"x\":2,\"y\":1},3]}}");
    assertThat(CanonicalKey.of("t", List.of(2, 1)))
        .isNotEqualTo(CanonicalKey.of("t", List.of(1, 2)));
  }

  @Test
  void beanProperties_areSorted() {
    assertThat(CanonicalKey.of("t", new Bean()).arguments())
        .isEqualTo("{\"alpha\":\"a\",\"zeta\":\"z\"}");
  }

  @Test
  void stringsAndNumbers_areKeysOfTheirOwn() {
    assertThat(CanonicalKey.of("t", "5").arguments()).isEqualTo("\"5\"");
    assertThat(CanonicalKey.of("t", 5).arguments()).isEqualTo("5");
    assertThat(CanonicalKey.of("t", 5L)).isEqualTo(CanonicalKey.of("t", 5));
  }

  @Test
  void makingAKey_leavesTheInputAlone() throws Exception {
    JsonNode json = JSON.readTree("{\"b\":1,\"a\":2}");
    CanonicalKey.of("t", json);
    assertThat(json.toString()).isEqualTo("{\"b\":1,\"a\":2}");
  }

  @Test
  void inputsJacksonCannotWrite_areRejected_namingTheToolAndType() {
    Map<String, Object> cycle = new HashMap<>();
    cycle.put("self", cycle);
    Link a = new Link();
    a.other = new Link();
    a.other.other = a;

    for (Object input : List.of(new Object(), cycle, a, new Link())) {
      assertThatThrownBy(() -> CanonicalKey.of("search", input))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tool 'search'")
          .hasMessageContaining(input.getClass().getName());
    }
  }

  @Test
  void length_countsCharactersOfJson() {
    assertThat(CanonicalJson.length("abc")).isEqualTo(5);
    assertThat(CanonicalJson.length(null)).isEqualTo(4);
    assertThat(CanonicalJson.length(new Object())).isEqualTo(-1);
    assertThat(CanonicalKey.of("tool", Map.of("a", 1)).length()).isEqualTo(4 + 7);
  }
}
