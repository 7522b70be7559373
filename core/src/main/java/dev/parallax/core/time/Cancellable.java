package dev.parallax.core.time;

/** Something that was started and can be stopped: a timer task, a running attempt. */
@FunctionalInterface
public interface Cancellable {

  /** Stops it if it has not finished; does nothing otherwise. Safe to call more than once. */
  void cancel();
}
