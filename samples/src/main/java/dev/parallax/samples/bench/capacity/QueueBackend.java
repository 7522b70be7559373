package dev.parallax.samples.bench.capacity;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * An M/M/c queue with client timeouts, run in virtual time by discrete events: {@code c} workers
 * serve one FIFO queue, service times are exponential (mean {@code serviceMillis}), and the client
 * gives up on a call {@code timeoutMillis} after it sent it — the call fails then. A call still
 * waiting when its client gives up leaves the queue (abandonment); a call already in service is
 * served to the end anyway (the worker is not told), wasting the work. Nothing here follows a
 * latency formula: latency is service plus whatever waiting the queue produces, and past a point
 * the workers spend their time on calls whose clients have already left.
 *
 * <p>Every run draws from the same seed, so limiters are compared on the same random draws. When a
 * run halves the backend, workers above the new count finish their call and stop. Immutable; {@link
 * #run} is thread-safe.
 */
public final class QueueBackend implements Backend {

  private final int workers;
  private final long serviceNanos;
  private final long timeoutNanos;
  private final long seed;

  /**
   * A queue with {@code workers} workers.
   *
   * @throws IllegalArgumentException if a value is not positive
   */
  public QueueBackend(int workers, double serviceMillis, double timeoutMillis, long seed) {
    if (workers < 1 || !(serviceMillis > 0) || !(timeoutMillis > 0)) {
      throw new IllegalArgumentException(
          "need workers >= 1 and positive times, was "
              + workers
              + ", "
              + serviceMillis
              + ", "
              + timeoutMillis);
    }
    this.workers = workers;
    this.serviceNanos = (long) (serviceMillis * 1e6);
    this.timeoutNanos = (long) (timeoutMillis * 1e6);
    this.seed = seed;
  }

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public int workers() {
    return workers;
  }

  /** Mean service time in milliseconds. */
  public double serviceMillis() {
    return serviceNanos / 1e6;
  }

  /** Client timeout in milliseconds. */
  public double timeoutMillis() {
    return timeoutNanos / 1e6;
  }

  private static final class Call {
    final long start;
    final int inFlight;
    final int limit;
    boolean inService;
    boolean clientDone;

    Call(long start, int inFlight, int limit) {
      this.start = start;
      this.inFlight = inFlight;
      this.limit = limit;
    }
  }

  private record Event(long at, long order, Call call, boolean timeout) {}

  @Override
  public Outcome run(Limiter limiter, Schedule schedule) {
    Random random = new Random(seed);
    PriorityQueue<Event> events =
        new PriorityQueue<>(
            (a, b) ->
                a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.order, b.order));
    ArrayDeque<Call> queue = new ArrayDeque<>();
    Tally tally = new Tally(schedule);
    long end = (long) (schedule.seconds() * 1e9);
    long halveAt = schedule.halves() ? (long) (schedule.halveAtSeconds() * 1e9) : Long.MAX_VALUE;
    int capacity = workers;
    int busy = 0;
    int inFlight = 0;
    long order = 0;
    long now = 0;
    while (now < end) {
      if (now >= halveAt && capacity == workers) {
        capacity = Math.max(1, workers / 2);
      }
      while (inFlight < limiter.limit()) {
        inFlight++;
        Call call = new Call(now, inFlight, limiter.limit());
        events.add(new Event(now + timeoutNanos, order++, call, true));
        queue.add(call);
      }
      while (busy < capacity && !queue.isEmpty()) {
        Call next = queue.poll();
        if (next.clientDone) {
          continue; // abandoned while waiting
        }
        next.inService = true;
        busy++;
        long service = (long) (-Math.log(1 - random.nextDouble()) * serviceNanos);
        events.add(new Event(now + Math.max(1, service), order++, next, false));
      }
      Event e = events.poll();
      if (e == null) {
        break;
      }
      if (halveAt > now && halveAt < e.at() && capacity == workers) {
        events.add(e); // the halving comes first
        now = halveAt;
        continue;
      }
      now = e.at();
      if (now >= end) {
        break;
      }
      Call call = e.call();
      if (!e.timeout()) {
        busy--;
      }
      if (call.clientDone) {
        continue; // the timeout of a call already answered, or the end of wasted work
      }
      call.clientDone = true;
      inFlight--;
      long latency = now - call.start;
      boolean success = !e.timeout();
      tally.finished(now, latency, success, call.limit);
      limiter.onSample(call.start, latency, call.inFlight, !success);
    }
    return tally.outcome();
  }
}
