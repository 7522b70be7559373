package dev.parallax.cluster;

/**
 * The cause of a call refused a cluster-wide permit because this member is on the minority side of
 * a split: it sees fewer members than {@link ParallaxClusterBuilder#splitBrainProtection} requires,
 * so it may be cut off from members that keep admitting up to the limit. The call ends {@code
 * FAILED} (with this exception as the cause of the engine's admission-seam failure) instead of
 * running over the limit. Calls are admitted again once the member sees enough members (when the
 * split heals, or more members join).
 */
public final class SplitBrainException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with this message and cause.
   *
   * @param message what was refused and why
   * @param cause Hazelcast's split-brain protection exception
   */
  public SplitBrainException(String message, Throwable cause) {
    super(message, cause);
  }
}
