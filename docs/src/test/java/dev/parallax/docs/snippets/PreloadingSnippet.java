package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import java.util.List;

/** The README's speculative preloading: a model learnt from past sessions, one facade option. */
public class PreloadingSnippet extends Fixtures {

  /** Runs the snippet; whether the agent's second call was answered by the preload. */
  public boolean run() {
    // README:begin
    PreloadModel model = PreloadModel.learner().learn(pastSessions()); // rules with counts
    try (Parallax parallax =
        Parallax.builder()
            .preloading(Preloading.builder().model(model).tools(getReservation).build())
            .build()) {
      ToolExecutor executor = parallax.executor();
      executor.executeSequential(
          List.of(airlineTools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));
      // the model predicted get_reservation(R-zoe): it is already running into the cache
      CallResult<?> next =
          executor
              .executeSequential(
                  List.of(
                      airlineTools.call("2", "get_reservation", "{\"reservation_id\":\"R-zoe\"}")))
              .results()
              .get(0);
      boolean answeredByThePreload = next.cacheHit();
      // README:end
      return answeredByThePreload;
    }
  }
}
