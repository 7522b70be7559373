package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.PreloadStats;
import dev.parallax.planner.preload.Preloading;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;

/** Preloading with one context per conversation and a model relearnt while it runs. */
public class PreloadSessionsSnippet extends Fixtures {

  /** Runs the snippet; the preload stats after one conversation of two turns. */
  public PreloadStats run() {
    // README:begin
    CaffeineResultCache cache =
        CaffeineResultCache.builder()
            .preloading(
                Preloading.builder()
                    .model(PreloadModel.learner().learn(pastSessions())) // or PreloadModel.empty()
                    .tools(getReservation)
                    .sessionIdle(
                        Duration.ofMinutes(5)) // a conversation ends 5 min after its last call
                    .learnLive(20) // relearn in the background every 20 ended conversations
                    .build())
            .build();
    try (Parallax parallax = Parallax.builder().resultCache(cache).build()) {
      ToolExecutor executor = parallax.executor();
      // one run per turn; the baggage entry session.id ties the turns of one conversation together
      try (Scope conversation =
          Baggage.current().toBuilder()
              .put(Preloading.SESSION_BAGGAGE, "conversation-42")
              .build()
              .makeCurrent()) {
        executor.executeSequential(
            List.of(airlineTools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));
        executor.executeSequential(
            List.of(airlineTools.call("2", "get_reservation", "{\"reservation_id\":\"R-zoe\"}")));
      }
      PreloadStats stats = cache.preloadStats(); // hits 1; modelVersion 0 until a relearning
      // README:end
      return stats;
    }
  }
}
