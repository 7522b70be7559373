package dev.parallax.samples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.parallax.Parallax;
import dev.parallax.ParallaxBuilder;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.PreloadRule;
import dev.parallax.planner.preload.PreloadStats;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.samples.bench.workload.TauBenchTrajectories;
import dev.parallax.samples.bench.workload.TauBenchTrajectories.Call;
import dev.parallax.samples.bench.workload.TauBenchTrajectories.Trajectory;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Speculative preloading, run for real through the facade on one real agent trajectory (τ-bench
 * airline, GPT-4o): the model learns on the trajectories of tasks 0-24; a trajectory of a task it
 * never saw is played twice, call after call, with the agent thinking 200 ms between calls and
 * every backend tool answering its recorded result after 150 ms.
 */
public final class PreloadScenario {

  static final Duration TOOL = Duration.ofMillis(150);
  static final Duration THINK = Duration.ofMillis(200);
  static final int MAX_CALLS = 10;

  private final PrintWriter out;
  private final Supplier<ParallaxBuilder> parallax;

  /** Prints to {@code out}; each run builds its own {@link Parallax} from {@code parallax}. */
  public PreloadScenario(PrintWriter out, Supplier<ParallaxBuilder> parallax) {
    this.out = out;
    this.parallax = parallax;
  }

  /** Runs the scenario under the given demo number. */
  public void run(int number) {
    out.printf(
        Locale.ROOT,
        "%n--- Demo %d: Speculative preloading on a real agent trajectory ---%n",
        number);
    Path file = TauBenchTrajectories.locate();
    if (file == null) {
      out.println("skipped: " + TauBenchTrajectories.lookedFor());
      out.flush();
      return;
    }
    List<Trajectory> all = TauBenchTrajectories.read(file);
    List<List<ObservedCall>> learning =
        all.stream()
            .filter(t -> t.taskId() < 25)
            .map(t -> t.calls().stream().map(Call::call).toList())
            .toList();
    PreloadModel model =
        PreloadModel.learner().targets(TauBenchTrajectories.READ_ONLY::contains).learn(learning);
    out.printf(
        Locale.ROOT,
        "learned on %d trajectories of tau-bench airline tasks 0-24: %d rules%n",
        learning.size(),
        model.rules().size());
    for (PreloadRule rule : model.rules()) {
      out.println("  " + rule);
    }
    Trajectory shown =
        all.stream()
            .filter(t -> t.taskId() >= 25)
            .max(
                Comparator.comparingLong(
                    t ->
                        t.calls().stream()
                            .limit(MAX_CALLS)
                            .filter(c -> c.call().tool().equals("get_reservation_details"))
                            .count()))
            .orElseThrow();
    List<Call> calls = shown.calls().subList(0, Math.min(MAX_CALLS, shown.calls().size()));
    out.printf(
        Locale.ROOT,
        "held-out task %d trial %d (the held-out trajectory with the most reservation lookups in"
            + " its first %d calls: a favourable case), played for real; tools answer after %d ms,"
            + " the agent thinks %d ms between calls%n",
        shown.taskId(),
        shown.trial(),
        MAX_CALLS,
        TOOL.toMillis(),
        THINK.toMillis());
    Played without = play(calls, null);
    Played with = play(calls, Preloading.builder().model(model));
    out.printf(
        Locale.ROOT,
        "  tool waiting: %d ms with the cache alone, %d ms with preloading (%.0f%% less)%n",
        without.waitedMillis,
        with.waitedMillis,
        100.0 * (without.waitedMillis - with.waitedMillis) / Math.max(1, without.waitedMillis));
    out.printf(
        Locale.ROOT,
        "  preloads: %d started, %d used by the agent's real calls, %d unused%n",
        with.stats.started(),
        with.stats.hits(),
        with.stats.unused());
    out.println("  (one trajectory; the bench's preload workload replays the whole held-out half)");
    out.flush();
  }

  private record Played(long waitedMillis, PreloadStats stats) {}

  private Played play(List<Call> calls, Preloading.@Nullable Builder preloading) {
    Map<String, Tool<JsonNode, JsonNode>> tools = tools(calls);
    var cacheBuilder = CaffeineResultCache.builder();
    if (preloading != null) {
      cacheBuilder.preloading(
          preloading
              .tools(
                  tools.values().stream()
                      .filter(t -> t.spec().idempotent() && t.spec().cacheable())
                      .toList())
              .build());
    }
    CaffeineResultCache cache = cacheBuilder.build();
    ToolRegistry registry = ToolRegistry.of(new ArrayList<>(tools.values()));
    long waited = 0;
    // one call per run, all of one agent session: the baggage entry session.id says so
    try (Parallax p = parallax.get().resultCache(cache).warmStart(false).build();
        Scope session =
            Baggage.current().toBuilder()
                .put(Preloading.SESSION_BAGGAGE, "demo-session")
                .build()
                .makeCurrent()) {
      int i = 0;
      for (Call c : calls) {
        CallResult<?> r =
            p.executor()
                .executeSequential(
                    List.of(registry.call("c" + i++, c.call().tool(), c.call().arguments())))
                .results()
                .get(0);
        waited += Duration.between(r.queuedAt(), r.finishedAt()).toMillis();
        sleep(THINK);
      }
    }
    return new Played(waited, cache.preloadStats());
  }

  /** One tool per name: answers the recorded result of the same arguments after {@link #TOOL}. */
  private static Map<String, Tool<JsonNode, JsonNode>> tools(List<Call> calls) {
    Map<String, Map<JsonNode, JsonNode>> recorded = new LinkedHashMap<>();
    for (Call c : calls) {
      JsonNode result = c.call().result();
      recorded
          .computeIfAbsent(c.call().tool(), t -> new HashMap<>())
          .put(c.call().arguments(), result == null ? TextNode.valueOf("Error") : result);
    }
    Map<String, Tool<JsonNode, JsonNode>> tools = new LinkedHashMap<>();
    recorded.forEach(
        (name, answers) -> {
          boolean readOnly = TauBenchTrajectories.READ_ONLY.contains(name);
          tools.put(
              name,
              Tools.named(name)
                  .idempotent(readOnly)
                  .cacheable(readOnly)
                  .function(
                      (args, ctx) -> {
                        Thread.sleep(TOOL);
                        return answers.getOrDefault(args, NullNode.getInstance());
                      }));
        });
    return tools;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
