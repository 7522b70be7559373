package dev.parallax.samples.bench.cluster;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The loopback backend every member calls: a JDK HTTP server on virtual threads that holds each
 * request for a fixed service time and is never the bottleneck (the members' pools are). The body
 * of a request is the call id; the backend counts the requests of each call id (so a call that ran
 * twice is seen, whichever member ran it) and can trip a latch after some requests of a prefix have
 * been answered. Thread-safe.
 */
public final class Backend implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Integer> requests = new ConcurrentHashMap<>();
  private final AtomicReference<Trip> trip = new AtomicReference<>();

  private record Trip(String prefix, CountDownLatch latch) {}

  /**
   * Starts the backend on a free loopback port.
   *
   * @param serviceMillis how long each request is held
   */
  public Backend(int serviceMillis) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the loopback backend: " + e, e);
    }
    server.setExecutor(executor);
    server.createContext(
        "/work",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            String id = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            requests.merge(id, 1, Integer::sum);
            Thread.sleep(serviceMillis);
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            Trip t = trip.get();
            if (t != null && id.startsWith(t.prefix())) {
              t.latch().countDown();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  /** The URI members post to. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/work");
  }

  /** Requests received for a call id so far. */
  public int requests(String callId) {
    return requests.getOrDefault(callId, 0);
  }

  /**
   * A latch that opens once {@code count} requests of call ids starting with {@code prefix} have
   * been answered.
   */
  public CountDownLatch tripAfter(String prefix, int count) {
    CountDownLatch latch = new CountDownLatch(count);
    trip.set(new Trip(prefix, latch));
    return latch;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
