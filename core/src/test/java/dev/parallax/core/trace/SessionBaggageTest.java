package dev.parallax.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The session baggage entry the integrations set and preloading reads. */
@Timeout(10)
class SessionBaggageTest {

  private static String current() {
    return Baggage.current().getEntryValue(SessionBaggage.ENTRY);
  }

  @Test
  void knownConversation_isTheEntryWhileTheActionRuns_andGoneAfter() {
    assertThat(SessionBaggage.with(42, SessionBaggageTest::current)).isEqualTo("42");
    assertThat(current()).isNull();
  }

  @Test
  void unknownOrBlankConversation_runsTheActionAsItIs() {
    assertThat(SessionBaggage.with(null, SessionBaggageTest::current)).isNull();
    assertThat(SessionBaggage.with("  ", SessionBaggageTest::current)).isNull();
  }

  @Test
  void callersOwnEntry_wins_aBlankOneDoesNot() {
    try (Scope scope = Baggage.builder().put(SessionBaggage.ENTRY, "mine").build().makeCurrent()) {
      assertThat(SessionBaggage.with("conversation", SessionBaggageTest::current))
          .isEqualTo("mine");
    }
    try (Scope scope = Baggage.builder().put(SessionBaggage.ENTRY, " ").build().makeCurrent()) {
      assertThat(SessionBaggage.with("conversation", SessionBaggageTest::current))
          .isEqualTo("conversation");
    }
  }

  @Test
  void actionThrows_thePreviousBaggageIsBack() {
    assertThatThrownBy(
            () ->
                SessionBaggage.with(
                    "c",
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(current()).isNull();
  }

  @Test
  void entry_isOpenTelemetrysSessionId() {
    assertThat(SessionBaggage.ENTRY).isEqualTo("session.id");
  }
}
