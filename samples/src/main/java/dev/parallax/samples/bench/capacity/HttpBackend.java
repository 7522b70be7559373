package dev.parallax.samples.bench.capacity;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A real backend: a {@link LoopbackServer} (fixed worker pool, bounded queue, {@code 503} when
 * full) driven over HTTP on the loopback interface by a closed-loop client on virtual threads. A
 * call fails on a {@code 503}, any other non-200 answer, an I/O error, or when the client's timeout
 * passes. Times are real ({@link System#nanoTime()}); each run starts a fresh server and client,
 * and every run of one backend sees the same sequence of service demands (drawn from its seed).
 *
 * <p>Immutable; runs are meant to be made one at a time (they compete for the machine otherwise).
 */
public final class HttpBackend implements Backend {

  private final int workers;
  private final int queue;
  private final double serviceMillis;
  private final double timeoutMillis;
  private final long seed;

  /**
   * A server with {@code workers} workers and a queue of {@code queue} requests, whose service
   * demands are drawn from {@code seed}.
   *
   * @throws IllegalArgumentException if a value is not positive
   */
  public HttpBackend(
      int workers, int queue, double serviceMillis, double timeoutMillis, long seed) {
    if (workers < 1 || queue < 1 || !(serviceMillis > 0) || !(timeoutMillis > 0)) {
      throw new IllegalArgumentException(
          "need positive workers, queue and times, was "
              + workers
              + ", "
              + queue
              + ", "
              + serviceMillis
              + ", "
              + timeoutMillis);
    }
    this.workers = workers;
    this.queue = queue;
    this.serviceMillis = serviceMillis;
    this.timeoutMillis = timeoutMillis;
    this.seed = seed;
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public int workers() {
    return workers;
  }

  /** The server's queue bound. */
  public int queue() {
    return queue;
  }

  /** Mean wait of a worker per request, in milliseconds. */
  public double serviceMillis() {
    return serviceMillis;
  }

  /** Client timeout in milliseconds. */
  public double timeoutMillis() {
    return timeoutMillis;
  }

  /**
   * Runs a fixed limit once, unmeasured, so that the JVM has compiled the HTTP stack before the
   * measured runs (the first requests of a cold JVM take longer than the client timeout).
   */
  public void warmUp(double seconds) {
    run(Limiter.fixed(workers), Schedule.steady(seconds, 0));
  }

  @Override
  public Outcome run(Limiter limiter, Schedule schedule) {
    try (LoopbackServer server = new LoopbackServer(workers, queue, serviceMillis, seed);
        HttpClient client =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
      return new Run(server, client, limiter, schedule).drive();
    }
  }

  /** One closed-loop run: the limiter and the tally are guarded by {@code lock}. */
  private final class Run {
    private final LoopbackServer server;
    private final HttpClient client;
    private final Limiter limiter;
    private final Schedule schedule;
    private final Tally tally;
    private final HttpRequest request;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int inFlight;
    private long origin;

    Run(LoopbackServer server, HttpClient client, Limiter limiter, Schedule schedule) {
      this.server = server;
      this.client = client;
      this.limiter = limiter;
      this.schedule = schedule;
      this.tally = new Tally(schedule);
      this.request =
          HttpRequest.newBuilder(server.uri())
              .timeout(Duration.ofNanos((long) (timeoutMillis * 1e6)))
              .GET()
              .build();
    }

    Outcome drive() {
      ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
      origin = System.nanoTime();
      long end = origin + (long) (schedule.seconds() * 1e9);
      long halveAt =
          schedule.halves() ? origin + (long) (schedule.halveAtSeconds() * 1e9) : Long.MAX_VALUE;
      boolean halved = false;
      lock.lock();
      try {
        while (true) {
          long now = System.nanoTime();
          if (now >= end) {
            break;
          }
          if (!halved && now >= halveAt) {
            server.halve();
            halved = true;
          }
          while (inFlight < limiter.limit()) {
            inFlight++;
            int n = inFlight;
            int limit = limiter.limit();
            threads.execute(() -> call(n, limit));
          }
          changed.awaitNanos(Math.min(end, halved ? end : halveAt) - now);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while driving the HTTP backend", e);
      } finally {
        lock.unlock();
        threads.shutdown();
      }
      try {
        // calls still in flight end within the client timeout
        threads.awaitTermination((long) (2 * timeoutMillis) + 5_000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      threads.shutdownNow();
      lock.lock();
      try {
        return tally.outcome();
      } finally {
        lock.unlock();
      }
    }

    private void call(int inFlightAtStart, int limit) {
      long start = System.nanoTime();
      boolean success;
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        success = response.statusCode() == 200;
      } catch (IOException e) {
        success = false; // a timeout, a reset connection
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        success = false;
      }
      long latency = System.nanoTime() - start;
      lock.lock();
      try {
        inFlight--;
        tally.finished(start - origin + latency, latency, success, limit);
        limiter.onSample(start - origin, latency, inFlightAtStart, !success);
        changed.signal();
      } finally {
        lock.unlock();
      }
    }
  }
}
