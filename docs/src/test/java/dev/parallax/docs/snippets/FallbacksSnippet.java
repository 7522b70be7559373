package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.fallback.ToolFallbacks;
import java.time.Duration;
import java.util.List;

/** The README's fallbacks and result cache snippet. */
public class FallbacksSnippet extends Fixtures {

  /** Builds the facade of the snippet. */
  public Parallax build() {
    // README:begin
    Tool<Query, List<Hit>> primary =
        Tools.named("search_primary")
            .capabilities("web_search")
            .idempotent(true)
            .input(Query.class)
            .function((query, ctx) -> primaryClient.search(query));
    Tool<Query, List<Hit>> mirror =
        Tools.named("search_mirror")
            .capabilities("web_search")
            .idempotent(true)
            .input(Query.class)
            .function((query, ctx) -> mirrorClient.search(query));
    Parallax parallax =
        Parallax.builder()
            .fallback(
                ToolFallbacks.builder().capability("web_search", List.of(primary, mirror)).build())
            .resultCache(
                CaffeineResultCache.builder()
                    .maximumSize(50_000)
                    .timeToLive("weather", Duration.ofMinutes(5))
                    .build())
            .build();
    // README:end
    return parallax;
  }
}
