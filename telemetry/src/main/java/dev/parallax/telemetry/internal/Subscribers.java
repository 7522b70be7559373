package dev.parallax.telemetry.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Subscribers whose every call is isolated: whatever one throws — an {@link Error} included — is
 * caught, counted, reported to {@code onFailure} and logged, and the next subscriber still gets the
 * item. The log is thinned out so that a subscriber failing on every item cannot flood it: the 1st,
 * 2nd, 4th, 8th… failure of each subscriber is logged (the first with its stack trace).
 * Thread-safe; {@link #deliver} is meant for one thread. Internal: may change at any time.
 *
 * @param <T> the items
 */
public final class Subscribers<T> {

  private final List<Subscription<T>> subscriptions = new CopyOnWriteArrayList<>();
  private final Logger log;
  private final String seam;
  private final Runnable onFailure;
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param log where failures are logged
   * @param seam what the subscribers are, for the log (e.g. "execution record subscriber")
   * @param onFailure called after each failure (e.g. to count it in a metric); must not throw
   */
  public Subscribers(Logger log, String seam, Runnable onFailure) {
    this.log = log;
    this.seam = seam;
    this.onFailure = onFailure;
  }

  /**
   * Adds a subscriber.
   *
   * @return closing it removes the subscriber
   */
  public AutoCloseable add(Consumer<? super T> subscriber) {
    Subscription<T> subscription = new Subscription<>(Objects.requireNonNull(subscriber));
    subscriptions.add(subscription);
    return () -> subscriptions.remove(subscription);
  }

  /** Calls every subscriber with {@code item}, each in isolation. */
  public void deliver(T item) {
    for (Subscription<T> s : subscriptions) {
      try {
        s.subscriber.accept(item);
      } catch (Throwable t) {
        failed(s, t);
      }
    }
  }

  /** Calls that threw, over all subscribers. */
  public long failures() {
    return failures.get();
  }

  private void failed(Subscription<T> s, Throwable t) {
    failures.incrementAndGet();
    long n = s.failures.incrementAndGet();
    try {
      onFailure.run();
      if (n == 1) {
        log.log(
            Level.WARNING,
            seam + " " + s.subscriber + " threw; it is skipped for this item and still called",
            t);
      } else if (Long.bitCount(n) == 1) {
        log.warning(seam + " " + s.subscriber + " has thrown " + n + " times; the last: " + t);
      }
    } catch (Throwable ignored) {
      // reporting must not stop the delivery either (a broken log handler, an out-of-memory)
    }
  }

  private static final class Subscription<T> {
    final Consumer<? super T> subscriber;
    final AtomicLong failures = new AtomicLong();

    Subscription(Consumer<? super T> subscriber) {
      this.subscriber = subscriber;
    }
  }
}
