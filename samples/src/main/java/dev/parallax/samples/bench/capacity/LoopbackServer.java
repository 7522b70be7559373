package dev.parallax.samples.bench.capacity;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A real HTTP server on the loopback interface (the JDK's {@code com.sun.net.httpserver}) in front
 * of a fixed pool of worker threads with a bounded queue. Each request is handed to the pool; when
 * the pool's workers are busy and its queue is full the request is answered {@code 503} at once. A
 * worker does real work: a SHA-256 digest of a 16 KB buffer (CPU) and a blocking wait of an
 * exponentially distributed time (the stand-in for a downstream call's I/O; the thread is held, as
 * it would be by blocking I/O). Latency under load is whatever the pool, its queue, the HTTP stack
 * and the machine make of it: no formula.
 *
 * <p>Closing stops the server and the pool. Thread-safe.
 */
final class LoopbackServer implements AutoCloseable {

  private static final int DIGEST_BYTES = 16 * 1024;
  /* draws before the sequence repeats: more than any run takes */
  private static final int DRAWS = 1 << 17;

  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
  private final long serviceNanos;
  private final byte[] payload = new byte[DIGEST_BYTES];
  private final double[] draws = new double[DRAWS];
  private final AtomicInteger taken = new AtomicInteger();

  LoopbackServer(int workers, int queue, double serviceMillis, long seed) {
    this.serviceNanos = (long) (serviceMillis * 1e6);
    new Random(1).nextBytes(payload);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < DRAWS; i++) {
      draws[i] = -Math.log(1 - random.nextDouble()); // exponential, mean 1
    }
    this.pool =
        new ThreadPoolExecutor(
            workers, workers, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue));
    pool.prestartAllCoreThreads();
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    } catch (IOException e) {
      pool.shutdownNow();
      exchanges.close();
      throw new UncheckedIOException("cannot start the loopback server: " + e.getMessage(), e);
    }
    server.setExecutor(exchanges);
    server.createContext("/work", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/work");
  }

  /** Lets only half the workers (at least one) take new requests from now on. */
  void halve() {
    int half = Math.max(1, pool.getMaximumPoolSize() / 2);
    pool.setCorePoolSize(half);
    pool.setMaximumPoolSize(half);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      Future<?> work;
      try {
        work = pool.submit(this::work);
      } catch (RejectedExecutionException full) {
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      try {
        work.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(500, -1);
        return;
      } catch (ExecutionException e) {
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      byte[] body = "ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private void work() {
    try {
      MessageDigest.getInstance("SHA-256").digest(payload);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
    long wait = (long) (draws[taken.getAndIncrement() & (DRAWS - 1)] * serviceNanos);
    long until = System.nanoTime() + wait;
    for (long left = wait; left > 0; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
    exchanges.shutdownNow();
  }
}
