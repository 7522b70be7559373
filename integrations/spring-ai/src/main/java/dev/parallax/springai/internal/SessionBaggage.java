package dev.parallax.springai.internal;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs an action under the OpenTelemetry baggage entry {@value #ENTRY} = the conversation's id,
 * unless an entry is set already (the caller's own session wins). Preloading keys its per-session
 * context by this entry where a run is started ({@code Preloading.SESSION_BAGGAGE} in the planner,
 * which this module does not depend on). Internal; may change at any time.
 */
public final class SessionBaggage {

  /** The baggage entry naming the agent session; the planner's {@code SESSION_BAGGAGE}. */
  public static final String ENTRY = "session.id";

  private SessionBaggage() {}

  /**
   * Runs {@code action} with {@value #ENTRY} = {@code String.valueOf(conversation)} in the current
   * baggage, if the conversation is known (non-null, not blank) and the current baggage has no
   * non-blank entry of that name; else runs it as it is.
   */
  public static <T> T with(@Nullable Object conversation, Supplier<T> action) {
    String current = Baggage.current().getEntryValue(ENTRY);
    String id = conversation == null ? null : String.valueOf(conversation);
    if (id == null || id.isBlank() || (current != null && !current.isBlank())) {
      return action.get();
    }
    try (Scope scope = Baggage.current().toBuilder().put(ENTRY, id).build().makeCurrent()) {
      return action.get();
    }
  }
}
