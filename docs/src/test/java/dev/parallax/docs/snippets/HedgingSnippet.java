package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.List;

/** The README's hedged calls: one option on the facade. */
public class HedgingSnippet extends Fixtures {

  private Tool<Query, List<Hit>> search;

  /** Builds the facade of the snippet; the caller closes it. */
  public Parallax build() {
    // README:begin
    Tool<Query, List<Hit>> search =
        Tools.named("search")
            .idempotent(true) // only idempotent tools are hedged
            .input(Query.class)
            .function((query, ctx) -> catalogue.search(query));
    Parallax parallax =
        Parallax.builder()
            // past its predicted p90, a call gets a second attempt; the first success answers
            .hedging(HedgePolicy.builder().budget(0.05).build()) // at most 5% extra calls
            .build();
    // README:end
    this.search = search;
    return parallax;
  }

  /**
   * Runs one call of the snippet's tool through the snippet's facade (names qualified: the README
   * block shows this file's imports).
   */
  public dev.parallax.core.call.RunResult search(Parallax parallax, String text) {
    return parallax
        .executor()
        .executeParallel(List.of(dev.parallax.core.call.ToolCall.of("q", search, new Query(text))));
  }
}
