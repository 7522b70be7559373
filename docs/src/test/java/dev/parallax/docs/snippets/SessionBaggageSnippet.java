package dev.parallax.docs.snippets;

import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.core.trace.SessionBaggage;
import io.opentelemetry.api.baggage.Baggage;
import java.util.List;

/** The README's hand-rolled backend starting each turn's run under the conversation's id. */
public class SessionBaggageSnippet extends Fixtures {

  /** Runs one turn; the tool answers with the session id it sees in the baggage. */
  public RunResult run(String conversationId) {
    Tool<String, String> whoAsks =
        Tools.named("who_asks")
            .input(String.class)
            .function((args, ctx) -> Baggage.current().getEntryValue(SessionBaggage.ENTRY));
    List<ToolCall<?, ?>> calls = List.of(ToolCall.of("1", whoAsks, "?"));
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      // README:begin
      // a hand-rolled agent backend: each turn's run starts under the conversation's id (unless
      // the caller's baggage names a session already), so preloading keeps one context per
      // conversation across its turns
      RunResult turn = SessionBaggage.with(conversationId, () -> executor.executeParallel(calls));
      // README:end
      return turn;
    }
  }
}
