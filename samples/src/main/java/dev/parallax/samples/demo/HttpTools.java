package dev.parallax.samples.demo;

import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Tools that make real HTTP requests (to the demo's {@link LoopbackServer}). */
public final class HttpTools {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpTools() {}

  /**
   * A tool named {@code name} that GETs {@code endpoint?q=INPUT} and returns the body; a status
   * other than 200 is an {@link IOException}.
   *
   * @param declare further declarations (cacheable, capabilities…)
   */
  public static Tool<String, String> get(
      String name, URI endpoint, UnaryOperator<Tools.Builder> declare) {
    return declare
        .apply(Tools.named(name).description("GET " + endpoint).idempotent(true))
        .input(String.class)
        .function(
            (query, ctx) -> {
              URI uri =
                  URI.create(endpoint + "?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
              HttpResponse<String> response =
                  CLIENT.send(
                      HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                      HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from " + endpoint);
              }
              return response.body();
            });
  }
}
