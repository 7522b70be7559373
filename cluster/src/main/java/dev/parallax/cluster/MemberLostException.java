package dev.parallax.cluster;

/**
 * The cause of a call that was running on a member when that member left the cluster (crashed, shut
 * down, cut off), for a tool that is not {@linkplain dev.parallax.core.tool.ToolSpec#idempotent()
 * idempotent}: the tool may or may not have done its work there, so it is not run again and the
 * call ends {@code FAILED} with this exception. Idempotent calls are run again on a surviving
 * member instead. Also the cause when no member is left to run a call.
 */
public final class MemberLostException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with this message.
   *
   * @param message what was lost, naming the call, the tool and the member
   */
  public MemberLostException(String message) {
    super(message);
  }
}
