package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.planner.fallback.ToolFallbacks;
import java.util.List;

/** The README's choice among alternatives by predicted utility. */
public class ChooseByPredictionSnippet extends Fixtures {

  /** Builds the facade of the snippet; the predictor is the caller's to close. */
  public Parallax build(AdaptivePredictor predictor) {
    // README:begin
    Parallax parallax =
        Parallax.builder()
            .predictor(predictor) // one predictor: the executor's and the fallbacks'
            .fallback(
                ToolFallbacks.builder()
                    .capability("web_search", List.of(searchPrimary, searchPaid))
                    .chooseByPrediction(predictor) // lowest latency / success (+ cost) runs
                    .cost(searchPaid, 0.5) // a paid API: worth 0.5 s of expected waiting
                    .build())
            .build();
    // README:end
    return parallax;
  }
}
