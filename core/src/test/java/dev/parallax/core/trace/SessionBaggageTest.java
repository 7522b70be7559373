package dev.parallax.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.util.List;
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

  @Test
  void runStartedInside_itsToolsSeeTheConversation() {
    Tool<String, String> whoAsks =
        Tools.named("who_asks")
            .input(String.class)
            .function((args, ctx) -> Baggage.current().getEntryValue(SessionBaggage.ENTRY));
    List<ToolCall<?, ?>> calls = List.of(ToolCall.of("1", whoAsks, "?"));
    String conversationId = "conversation-42";
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      // README:begin
      // a hand-rolled agent backend: each turn's run starts under the conversation's id (unless
      // the caller's baggage names a session already), so preloading keeps one context per
      // conversation across its turns
      RunResult turn = SessionBaggage.with(conversationId, () -> executor.executeParallel(calls));
      // README:end
      assertThat(turn.results().get(0).value()).isEqualTo("conversation-42");
    }
  }
}
