package dev.parallax.samples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server on the loopback interface for the demo's tools: {@code /weather} answers after
 * 50 ms, {@code /search/primary} fails with HTTP 503 on 30% of requests (fixed seed) and {@code
 * /search/mirror} always answers. Counts the requests per path. Closing stops it.
 */
public final class LoopbackServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Random failures = new Random(7);

  /** Starts on a free port. */
  public LoopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext("/weather", e -> answer(e, 50, "sunny"));
    server.createContext("/search/primary", e -> answer(e, 20, failing() ? null : "results"));
    server.createContext("/search/mirror", e -> answer(e, 30, "results from the mirror"));
    server.start();
  }

  /** The URI of {@code path} on this server. */
  public URI uri(String path) {
    return URI.create(
        "http://"
            + server.getAddress().getHostString()
            + ":"
            + server.getAddress().getPort()
            + path);
  }

  /** How many requests reached {@code path}. */
  public int requests(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  private synchronized boolean failing() {
    return failures.nextDouble() < 0.3;
  }

  private void answer(HttpExchange exchange, long millis, @Nullable String body)
      throws IOException {
    requests
        .computeIfAbsent(exchange.getHttpContext().getPath(), k -> new AtomicInteger())
        .incrementAndGet();
    try (exchange) {
      Thread.sleep(Duration.ofMillis(millis)); // the latency of a remote service
      byte[] bytes =
          (body == null ? "unavailable" : body + " for " + exchange.getRequestURI().getQuery())
              .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(body == null ? 503 : 200, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.close();
  }
}
