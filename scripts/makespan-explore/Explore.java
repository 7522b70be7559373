import dev.parallax.analysis.*;
import dev.parallax.analysis.internal.*;
import dev.parallax.core.spi.*;
import dev.parallax.planner.graph.*;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.planner.sim.*;
import java.nio.file.*;
import java.util.*;
import java.util.function.*;

public class Explore {
  interface Prio { double[] of(long[] e, DependencyGraph g, int m); }

  static double[] bl(long[] e, DependencyGraph g) {
    double[] r = new double[e.length];
    CriticalPath.upwardRanks(g, i -> e[i], r);
    return r;
  }

  /** priority policy: primary key desc, secondary desc, then index. */
  static SchedulingPolicy policy(Function<PendingCall, Long> est, BiFunction<long[], DependencyGraph, double[][]> keys) {
    return new SchedulingPolicy() {
      public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
        long[] e = new long[calls.size()];
        for (int i = 0; i < e.length; i++) e[i] = est.apply(calls.get(i));
        DependencyGraph g = DependencyGraph.of(calls, PendingCall::callId, PendingCall::dependsOn);
        double[][] k = keys.apply(e, g);
        PriorityQueue<C> q = new PriorityQueue<>((a, b) -> {
          for (double[] kk : k) { int c = Double.compare(kk[b.index()], kk[a.index()]); if (c != 0) return c; }
          return Integer.compare(a.index(), b.index());
        });
        return new ReadyQueue<C>() {
          public void add(C c) { q.add(c); }
          public C poll() { return q.poll(); }
        };
      }
    };
  }

  static long est(Predictor p, PendingCall c) {
    try { Prediction pr = p.predict(c); return pr == null ? 0 : pr.latency().toNanos(); } catch (RuntimeException ex) { return 0; }
  }

  static double[] descWorkRank(long[] e, DependencyGraph g, int m) {
    int n = e.length;
    BitSet[] desc = new BitSet[n];
    int[] order = g.topologicalOrder();
    for (int k = n - 1; k >= 0; k--) {
      int i = order[k]; BitSet b = new BitSet(n);
      for (int j : g.dependents(i)) { b.set(j); b.or(desc[j]); }
      desc[i] = b;
    }
    double[] blr = bl(e, g);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      double w = 0; for (int j = desc[i].nextSetBit(0); j >= 0; j = desc[i].nextSetBit(j + 1)) w += e[j];
      r[i] = Math.max(blr[i], e[i] + w / m);
    }
    return r;
  }

  static Map<String, SchedulingPolicy> policies(Predictor p, int m) {
    Function<PendingCall, Long> est = c -> est(p, c);
    Map<String, SchedulingPolicy> out = new LinkedHashMap<>();
    out.put("cp", CriticalPathScheduling.using(p));
    out.put("bl", policy(est, (e, g) -> new double[][] {bl(e, g)}));
    out.put("bl_lpt", policy(est, (e, g) -> { double[] o = new double[e.length]; for (int i=0;i<e.length;i++) o[i]=e[i]; return new double[][] {bl(e, g), o}; }));
    out.put("lpt", policy(est, (e, g) -> { double[] o = new double[e.length]; for (int i=0;i<e.length;i++) o[i]=e[i]; return new double[][] {o}; }));
    out.put("bl_kids", policy(est, (e, g) -> { double[] o = new double[e.length]; for (int i=0;i<e.length;i++) o[i]=g.dependents(i).length; return new double[][] {bl(e, g), o}; }));
    out.put("descw", policy(est, (e, g) -> new double[][] {descWorkRank(e, g, m), bl(e,g)}));
    return out;
  }

  static long makespan(TracedWorkflow w, int m, SchedulingPolicy pol) {
    long t = 0;
    try (Simulator s = Simulator.builder().slots(m).scheduling(pol).build()) {
      for (Workload r : w.runs()) t += s.run(r).makespan().toNanos();
    }
    return t;
  }

  public static void main(String[] args) {
    int m = 4;
    boolean learned = !"oracle".equals(System.getenv("ONLY"));
    for (String dir : args) {
      List<Path> files = LeaveOneInstanceOut.instancesIn(Path.of(dir));
      List<TracedWorkflow> in = files.stream().map(f -> WorkflowInputs.read(f, null)).map(FeatureSet.PRE_CALL::apply).toList();
      List<List<SimulatedCall>> tasks = in.stream().map(TracedWorkflow::tasks).toList();
      String app = Path.of(dir).getFileName().toString();
      Map<String, List<Double>> sums = new TreeMap<>();
      for (int i = 0; i < in.size(); i++) {
        TracedWorkflow w = in.get(i);
        long fifo = makespan(w, m, SchedulingPolicy.fifo());
        MakespanBounds.Bounds b = MakespanBounds.of(w.runs(), m);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-12s %-45s n=%4d fifo/lb=%.3f (cp %.0f w/m %.0f win %.0f) lb/fifo=%.3f", app, Path.of(w.file()).getFileName(), w.size(), (double) fifo / b.lowerBound().toNanos(), b.criticalPath().toSeconds()*1.0, b.workPerSlot().toSeconds()*1.0, b.window().toSeconds()*1.0, b.lowerBound().toNanos() / (double) fifo));
        sums.computeIfAbsent("lb", k -> new ArrayList<>()).add(b.lowerBound().toNanos() / (double) fifo);
        for (var en : policies(Simulator.oracle(), m).entrySet()) {
          double r = makespan(w, m, en.getValue()) / (double) fifo;
          sums.computeIfAbsent("O_" + en.getKey(), k -> new ArrayList<>()).add(r);
          line.append(String.format(Locale.ROOT, " O_%s=%.3f", en.getKey(), r));
        }
        if (learned) {
          List<List<SimulatedCall>> training = new ArrayList<>();
          for (int j = 0; j < tasks.size(); j++) if (j != i) training.add(tasks.get(j));
          LatencyModel.Trained model = LatencyModel.trainOnInstances(training, tasks.get(i), 42, null, true, f -> Categories.isOf(f, Categories.MACHINE));
          for (var en : policies(model.predictor(), m).entrySet()) {
            double r = makespan(w, m, en.getValue()) / (double) fifo;
            sums.computeIfAbsent("L_" + en.getKey(), k -> new ArrayList<>()).add(r);
            line.append(String.format(Locale.ROOT, " L_%s=%.3f", en.getKey(), r));
          }
        }
        System.out.println(line);
      }
      StringBuilder avg = new StringBuilder(String.format("%-12s AVERAGE", app));
      sums.forEach((k, v) -> avg.append(String.format(Locale.ROOT, " %s=%.3f", k, v.stream().mapToDouble(x -> x).average().orElse(Double.NaN))));
      System.out.println(avg);
      System.out.flush();
    }
  }
}
