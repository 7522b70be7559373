package dev.parallax.core.spi;

/**
 * The admission of one run: asked before each attempt starts, told when it ends. Called from the
 * run's serialized events (one at a time for a run, but different runs call concurrently, so state
 * shared across runs must be thread-safe); it must be quick and must not block.
 */
public interface Admission {

  /**
   * Whether the call may start now. A refused call is offered again when a call of the same tool
   * ends in this run, or when the admission calls its {@code capacityAvailable} callback.
   */
  boolean tryAcquire(PendingCall call);

  /**
   * An admitted attempt ended; {@code sample} says how. Called once per admitted attempt, when its
   * body has returned — for an attempt the run gave up on (timeout, cancel), possibly after the
   * call has ended or moved on. A call may therefore hold two admitted attempts at once (the
   * given-up body and its retry), and after a fallback {@code call.tool()} may name another tool:
   * the tool that ran is {@link AttemptSample#tool()}.
   *
   * <p>The sample is the engine's attempt itself, so a release allocates nothing: read what is
   * needed here and keep {@link AttemptSample#copyOf} of it, not the sample, if it is kept.
   */
  void release(PendingCall call, AttemptSample sample);

  /**
   * The run is stopping (cancelled, past its deadline, failing fast, or its queue broke): it offers
   * no more calls, so anything set aside for calls that have not started may be let go now. Calls
   * already admitted are still {@linkplain #release released} one by one, when their bodies return,
   * and {@link #close} follows. Default: nothing.
   */
  default void stopping() {}

  /** The run ended; release anything held for it. */
  default void close() {}
}
