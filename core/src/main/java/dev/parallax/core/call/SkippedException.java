package dev.parallax.core.call;

/** The error of a {@link CallStatus#SKIPPED} call: a call it depends on did not succeed. */
public final class SkippedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String dependency;

  /** Creates the exception for a call whose dependency ended with the given status. */
  public SkippedException(String callId, String dependency, CallStatus dependencyStatus) {
    super(
        "call " + callId + " skipped: its dependency " + dependency + " ended " + dependencyStatus);
    this.dependency = dependency;
  }

  /** The id of the dependency that did not succeed. */
  public String dependency() {
    return dependency;
  }
}
