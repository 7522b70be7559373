package dev.parallax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README section drafted in {@code docs-drafts/hedge.md}: its snippet, compiled and run (the
 * lead may move it to {@code docs/src/test/java/dev/parallax/docs/snippets/HedgingSnippet.java}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HedgingReadmeSnippetTest {

  record Query(String text) {}

  record Hit(String url) {}

  /** Stands for a real search client. */
  static final class SearchClient {
    List<Hit> search(Query query) {
      return List.of(new Hit("https://example.org/" + query.text()));
    }
  }

  private final SearchClient searchClient = new SearchClient();

  @Test
  void hedgingSnippet_buildsAndRuns() {
    // README:begin
    Tool<Query, List<Hit>> search =
        Tools.named("search")
            .idempotent(true) // only idempotent tools are hedged
            .input(Query.class)
            .function((query, ctx) -> searchClient.search(query));
    Parallax parallax =
        Parallax.builder()
            // past its predicted p90, a call gets a second attempt; the first success answers
            .hedging(HedgePolicy.builder().budget(0.05).build()) // at most 5% extra calls
            .build();
    // README:end
    try (parallax) {
      RunResult run =
          parallax.executor().executeParallel(List.of(ToolCall.of("q", search, new Query("otel"))));
      assertThat(run.allSucceeded()).isTrue();
      assertThat(parallax.executor().hedgesStarted()).isZero(); // a fast call is not hedged
    }
  }
}
