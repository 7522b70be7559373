package dev.parallax.core.spi;

/**
 * Which runs' calls go first when the runs of one executor share its capacity: the cross-run
 * scheduling seam. Each run opens its {@link Slots} when it starts; every attempt of the run then
 * asks them before it starts (after the run's own limits: its {@code maxConcurrency}, per-tool
 * limits) and releases them when its body has returned. The scheduler sees all runs at once, so it
 * can give capacity by run priority, share it fairly between runs, and hold named resources and
 * lanes of tools across runs. The default, {@link #NONE}, shares nothing: every run has only its
 * own limits.
 *
 * <p>Implementations must be thread-safe: runs open, acquire and release concurrently. A scheduler
 * may be shared by several executors and may keep its state elsewhere (a cluster). Whatever it
 * throws fails the calls it was deciding about with a {@code SeamFailureException} naming the
 * admission seam, as for {@link AdmissionControl}.
 */
@FunctionalInterface
public interface RunScheduler {

  /** Shares nothing: every call is admitted at once (the runs' own limits still apply). */
  RunScheduler NONE = (run, capacityAvailable) -> Slots.UNLIMITED;

  /**
   * Opens the share of one run.
   *
   * @param run the run
   * @param capacityAvailable to be called when a call of this run that was refused may now start
   *     (for example because the scheduler set capacity aside for it); the run then offers its
   *     refused calls again, soon after and on another thread, so it may be called from any thread
   *     and under any lock
   */
  Slots open(ScheduledRun run, Runnable capacityAvailable);

  /**
   * One run's share of the executor. Called from the run's serialized events (one at a time for a
   * run; different runs call concurrently). {@link #tryAcquire} must be quick and must not block: a
   * call that cannot start now is refused and offered again after {@code capacityAvailable}.
   */
  interface Slots extends Admission {

    /** Admits everything and holds nothing. */
    Slots UNLIMITED =
        new Slots() {
          @Override
          public boolean tryAcquire(PendingCall call) {
            return true;
          }

          @Override
          public void release(PendingCall call, AttemptSample sample) {}

          @Override
          public void notStarted(PendingCall call) {}
        };

    /**
     * A call these slots admitted did not start after all: an admission control layered after the
     * scheduler refused it. Give back what {@link #tryAcquire} took for it; {@link #release} will
     * not be called for it. The call may be offered again later.
     */
    void notStarted(PendingCall call);
  }
}
