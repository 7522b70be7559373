import dev.parallax.planner.internal.PreloadPlanner;
import dev.parallax.planner.internal.PreloadTemplate;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PredictedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.samples.bench.workload.TauBenchTrajectories;
import dev.parallax.samples.bench.workload.TauBenchTrajectories.Call;
import dev.parallax.samples.bench.workload.TauBenchTrajectories.Trajectory;
import java.util.*;

/** Held-out tau-bench trajectories interleaved K at a time through PreloadPlanner, no latency. */
public class InterleaveMeasure {
  public static void main(String[] a) {
    List<Trajectory> all = TauBenchTrajectories.read(TauBenchTrajectories.locate());
    List<List<ObservedCall>> learn = all.stream().filter(t -> t.taskId() < 25)
        .map(t -> t.calls().stream().map(Call::call).toList()).toList();
    List<List<ObservedCall>> held = all.stream().filter(t -> t.taskId() >= 25 && !t.calls().isEmpty())
        .map(t -> t.calls().stream().map(Call::call).toList()).toList();
    PreloadModel model = PreloadModel.learner().targets(TauBenchTrajectories.READ_ONLY::contains).learn(learn);
    System.out.printf("learn %d, held-out %d trajectories, %d rules%n", learn.size(), held.size(), model.rules().size());
    for (int k : new int[] {1, 4, 16}) {
      for (boolean perSession : new boolean[] {false, true}) {
        run(model, held, k, perSession);
      }
    }
  }

  static void run(PreloadModel model, List<List<ObservedCall>> held, int k, boolean perSession) {
    PreloadPlanner planner = new PreloadPlanner(Preloading.builder().model(model).build());
    PreloadPlanner.Session shared = planner.newSession();
    Map<String, PredictedCall> pending = new HashMap<>();
    Map<String, Integer> pendingOwner = new HashMap<>();
    Set<String> stored = new HashSet<>();
    long started = 0, hits = 0, crossHits = 0, readCalls = 0;
    Deque<Integer> queue = new ArrayDeque<>();
    for (int i = 0; i < held.size(); i++) queue.add(i);
    int[] active = new int[k]; int[] pos = new int[k];
    PreloadPlanner.Session[] sess = new PreloadPlanner.Session[k];
    Arrays.fill(active, -1);
    boolean any = true;
    while (any) {
      any = false;
      for (int s = 0; s < k; s++) {
        if (active[s] < 0 || pos[s] >= held.get(active[s]).size()) {
          if (active[s] >= 0 && perSession) planner.endSession(sess[s]);
          if (queue.isEmpty()) { active[s] = -1; continue; }
          active[s] = queue.poll(); pos[s] = 0; sess[s] = perSession ? planner.newSession() : shared;
        }
        any = true;
        ObservedCall c = held.get(active[s]).get(pos[s]++);
        String key = PreloadTemplate.key(c.tool(), c.arguments());
        if (TauBenchTrajectories.READ_ONLY.contains(c.tool())) {
          readCalls++;
          PredictedCall p = pending.remove(key);
          if (p != null) { hits++; planner.used(p); if (pendingOwner.remove(key) != active[s]) crossHits++; }
          stored.add(key);
        }
        final int owner = active[s];
        List<PredictedCall> start = planner.afterCall(sess[s], c, 0, p -> {
          String pk = PreloadTemplate.key(p.tool(), p.arguments());
          return TauBenchTrajectories.READ_ONLY.contains(p.tool()) && !stored.contains(pk) && !pending.containsKey(pk);
        });
        for (PredictedCall p : start) {
          String pk = PreloadTemplate.key(p.tool(), p.arguments());
          pending.put(pk, p); pendingOwner.put(pk, owner); stored.add(pk); started++;
        }
      }
    }
    System.out.printf(Locale.ROOT, "K=%2d %-11s started %4d hits %4d (%.1f%% of %d read calls) wasted %.1f%% cross-session hits %d%n",
        k, perSession ? "per-session" : "shared", started, hits, 100.0 * hits / readCalls, readCalls,
        started == 0 ? 0 : 100.0 * (started - hits) / started, crossHits);
  }
}
