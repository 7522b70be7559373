package dev.parallax.storage.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.storage.HistoryStoreException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The few calls of Chroma's v2 HTTP API the Chroma store needs — create tenant, database and
 * collection, upsert, get, query, count, delete — as typed requests over {@code java.net.http} with
 * Jackson. Every failure (unreachable, timeout, an error answer) is a {@link HistoryStoreException}
 * naming the route. Internal: may change at any time.
 */
public final class ChromaClient {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http;
  private final String api;
  private final @Nullable String authHeader;
  private final @Nullable String authValue;
  private final Duration timeout;

  /**
   * @param baseUrl the server, {@code http://host:port}
   * @param authHeader the header carrying the token ({@code Authorization} gets {@code Bearer }
   *     before the token), or {@code null} for none
   * @param token the token, or {@code null}
   * @param timeout connect and request timeout
   */
  public ChromaClient(
      URI baseUrl, @Nullable String authHeader, @Nullable String token, Duration timeout) {
    String base = baseUrl.toString();
    this.api = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v2";
    this.authHeader = token == null ? null : authHeader;
    this.authValue =
        token == null
            ? null
            : "authorization".equalsIgnoreCase(authHeader) ? "Bearer " + token : token;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** An empty JSON object to fill in as a request body. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Creates the tenant and database unless they exist; returns the collection's id. */
  public CollectionInfo getOrCreateCollection(
      String tenant, String database, String collection, int dimension) {
    ObjectNode t = object().put("name", tenant);
    call("POST", "/tenants", t, true);
    ObjectNode d = object().put("name", database);
    call("POST", "/tenants/" + enc(tenant) + "/databases", d, true);
    ObjectNode c = object().put("name", collection).put("get_or_create", true);
    c.putObject("metadata").put("hnsw:space", "l2").put("parallax:dimension", dimension);
    JsonNode answer =
        call(
            "POST",
            "/tenants/" + enc(tenant) + "/databases/" + enc(database) + "/collections",
            c,
            false);
    JsonNode dim = answer.path("dimension");
    return new CollectionInfo(
        "/tenants/"
            + enc(tenant)
            + "/databases/"
            + enc(database)
            + "/collections/"
            + enc(answer.path("id").asText()),
        dim.isNumber() ? dim.asInt() : null);
  }

  /**
   * A collection's route and the dimension of the vectors it holds.
   *
   * @param path the collection's route under {@code /api/v2}
   * @param dimension the dimension its vectors have, {@code null} while it is empty
   */
  public record CollectionInfo(String path, @Nullable Integer dimension) {}

  /** POST {@code body} to {@code collectionPath + op}. */
  public JsonNode post(String collectionPath, String op, ObjectNode body) {
    return call("POST", collectionPath + op, body, false);
  }

  /** How many records the collection holds. */
  public long count(String collectionPath) {
    return call("GET", collectionPath + "/count", null, false).asLong();
  }

  /** Whether the server answers its heartbeat. */
  public boolean heartbeat() {
    try {
      call("GET", "/heartbeat", null, false);
      return true;
    } catch (HistoryStoreException e) {
      return false;
    }
  }

  /** Adds a float array to a JSON array. */
  public static void addVector(ArrayNode into, float[] vector) {
    ArrayNode v = into.addArray();
    for (float f : vector) {
      v.add(f);
    }
  }

  private JsonNode call(String method, String route, @Nullable ObjectNode body, boolean mayExist) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api + route))
            .timeout(timeout)
            .header("Accept", "application/json");
    if (authHeader != null && authValue != null) {
      request.header(authHeader, authValue);
    }
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new HistoryStoreException(
          "Chroma at " + api + " did not answer " + method + " " + route + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HistoryStoreException("interrupted while calling Chroma " + route, e);
    }
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (response.statusCode() >= 300) {
      if (mayExist && text.contains("already exists")) {
        return object();
      }
      throw new HistoryStoreException(
          "Chroma answered "
              + response.statusCode()
              + " to "
              + method
              + " "
              + route
              + ": "
              + (text.length() > 500 ? text.substring(0, 500) + "…" : text));
    }
    try {
      return text.isEmpty() ? object() : MAPPER.readTree(text);
    } catch (IOException e) {
      throw new HistoryStoreException("Chroma sent JSON that cannot be read from " + route, e);
    }
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a Chroma request", e);
    }
  }

  private static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The ids of {@code ids} as a JSON array. */
  public static ArrayNode strings(List<String> ids) {
    ArrayNode a = MAPPER.createArrayNode();
    ids.forEach(a::add);
    return a;
  }
}
