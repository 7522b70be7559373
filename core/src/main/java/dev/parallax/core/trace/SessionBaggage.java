package dev.parallax.core.trace;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The OpenTelemetry baggage entry {@value #ENTRY} that names the agent session (the conversation) a
 * run belongs to. Integrations that know the conversation (LangChain4j's memory id, Spring AI's
 * conversation id) start each run under it with {@link #with}; speculative preloading in the
 * planner keys its per-session context by it ({@code Preloading.SESSION_BAGGAGE}, the same name).
 * In core because every integration depends on core and none needs the planner.
 *
 * <p>Thread-safe: stateless; the entry lives in the OpenTelemetry context of the calling thread.
 */
public final class SessionBaggage {

  /**
   * The baggage entry naming the agent session: {@code session.id}, as in OpenTelemetry's semantic
   * conventions for sessions.
   */
  public static final String ENTRY = "session.id";

  private SessionBaggage() {}

  /**
   * Runs {@code action} with {@value #ENTRY} = {@code String.valueOf(conversation)} in the current
   * baggage, if the conversation is known (non-null, not blank) and the current baggage has no
   * non-blank entry of that name (the caller's own session wins); else runs it as it is. The
   * baggage is as before once {@code action} returns or throws.
   *
   * @param conversation the conversation's id, or {@code null} if unknown
   * @param action what to run; what it throws propagates
   * @return what {@code action} returned
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
