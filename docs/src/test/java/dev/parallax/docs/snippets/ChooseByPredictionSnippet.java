package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.fallback.ToolFallbacks;
import java.util.List;

/** The README's choice among alternatives by predicted utility. */
public class ChooseByPredictionSnippet extends Fixtures {

  /** Builds the facade of the snippet; the predictor is the caller's to close. */
  public Parallax build(AdaptivePredictor predictor) {
    Tool<Query, List<Hit>> primary =
        Tools.named("search_primary")
            .capabilities("web_search")
            .idempotent(true)
            .input(Query.class)
            .function((query, ctx) -> primaryClient.search(query));
    Tool<Query, List<Hit>> paid =
        Tools.named("search_paid")
            .capabilities("web_search")
            .idempotent(true)
            .input(Query.class)
            .function((query, ctx) -> mirrorClient.search(query));
    // README:begin
    Parallax parallax =
        Parallax.builder()
            .predictor(predictor) // one predictor: the executor's and the fallbacks'
            .fallback(
                ToolFallbacks.builder()
                    .capability("web_search", List.of(primary, paid))
                    .chooseByPrediction(predictor) // lowest latency / success (+ cost) runs
                    .cost(paid, 0.5) // a paid API: worth 0.5 s of expected waiting
                    .build())
            .build();
    // README:end
    return parallax;
  }
}
