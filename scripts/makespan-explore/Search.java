import dev.parallax.analysis.*;
import dev.parallax.analysis.internal.*;
import dev.parallax.core.spi.*;
import dev.parallax.planner.graph.*;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.planner.sim.*;
import java.nio.file.*;
import java.util.*;

public class Search {
  static int[][] deps, kids;

  /** list schedule; returns makespan, fills start/finish. */
  static long schedule(int[][] deps, int[][] kids, long[] p, double[] prio, int m, long[] start, long[] finish) {
    int n = p.length;
    int[] pending = new int[n];
    PriorityQueue<Integer> ready = new PriorityQueue<>((a, b) -> { int c = Double.compare(prio[b], prio[a]); return c != 0 ? c : Integer.compare(a, b); });
    for (int i = 0; i < n; i++) { pending[i] = deps[i].length; if (pending[i] == 0) ready.add(i); }
    long[] seq = new long[n]; long s = 0;
    PriorityQueue<Integer> running = new PriorityQueue<>((a, b) -> { int c = Long.compare(finish[a], finish[b]); return c != 0 ? c : Long.compare(seq[a], seq[b]); });
    long now = 0, end = 0; int free = m;
    while (true) {
      while (free > 0 && !ready.isEmpty()) { int i = ready.poll(); start[i] = now; finish[i] = now + p[i]; seq[i] = s++; running.add(i); free--; }
      if (running.isEmpty()) break;
      int i = running.poll(); now = finish[i]; end = Math.max(end, now); free++;
      for (int k : kids[i]) if (--pending[k] == 0) ready.add(k);
    }
    return end;
  }

  static double[] bl(int[][] kids, int[] order, long[] p) {
    double[] r = new double[p.length];
    for (int k = order.length - 1; k >= 0; k--) { int i = order[k]; double mx = 0; for (int j : kids[i]) mx = Math.max(mx, r[j]); r[i] = p[i] + mx; }
    return r;
  }

  /** forward-backward improvement + random-key restarts; returns best priority on estimates p. */
  static double[] improve(int[][] deps, int[][] kids, int[] order, long[] p, int m, int iters, long seed) {
    int n = p.length;
    long[] st = new long[n], fi = new long[n], st2 = new long[n], fi2 = new long[n];
    double[] base = bl(kids, order, p);
    double[] best = base.clone();
    long bestC = schedule(deps, kids, p, best, m, st, fi);
    Random rnd = new Random(seed);
    for (int it = 0; it < iters; it++) {
      double[] prio = new double[n];
      if (it == 0) prio = base.clone();
      else for (int i = 0; i < n; i++) prio[i] = base[i] * (1 + 0.3 * rnd.nextDouble()) ;
      for (int pass = 0; pass < 4; pass++) {
        long c = schedule(deps, kids, p, prio, m, st, fi);
        if (c < bestC) { bestC = c; best = prio.clone(); }
        // backward: reversed graph, priority = finish time (latest first)
        double[] bp = new double[n]; for (int i = 0; i < n; i++) bp[i] = fi[i];
        long cb = schedule(kids, deps, p, bp, m, st2, fi2);
        // forward priority: earliest start in right-justified schedule = cb - fi2
        for (int i = 0; i < n; i++) prio[i] = -(cb - fi2[i]);
      }
    }
    return best;
  }

  static SchedulingPolicy fixed(Map<String, Double> prioById) {
    return new SchedulingPolicy() {
      public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
        PriorityQueue<C> q = new PriorityQueue<>((a, b) -> { int c = Double.compare(prioById.get(b.callId()), prioById.get(a.callId())); return c != 0 ? c : Integer.compare(a.index(), b.index()); });
        return new ReadyQueue<C>() { public void add(C c) { q.add(c); } public C poll() { return q.poll(); } };
      }
    };
  }

  static long simulate(TracedWorkflow w, int m, SchedulingPolicy pol) {
    long t = 0;
    try (Simulator s = Simulator.builder().slots(m).scheduling(pol).build()) { for (Workload r : w.runs()) t += s.run(r).makespan().toNanos(); }
    return t;
  }

  static long est(Predictor pr, Workload r, int i) {
    // predictor needs a PendingCall: go through a tiny adapter using the simulator's tool calls isn't trivial; use SimulatedCall input
    return -1;
  }

  static Map<String, Double> plan(Workload r, long[] p, int m, int iters) {
    List<SimulatedCall> calls = r.calls();
    DependencyGraph g = DependencyGraph.of(calls, SimulatedCall::id, SimulatedCall::dependsOn);
    int n = calls.size();
    int[][] d = new int[n][], k = new int[n][];
    for (int i = 0; i < n; i++) { d[i] = g.dependencies(i); k[i] = g.dependents(i); }
    double[] prio = improve(d, k, g.topologicalOrder(), p, m, iters, 42);
    Map<String, Double> out = new HashMap<>();
    for (int i = 0; i < n; i++) out.put(calls.get(i).id(), prio[i]);
    return out;
  }

  public static void main(String[] args) {
    int m = 4; int iters = Integer.parseInt(System.getenv().getOrDefault("ITERS", "50"));
    boolean learned = !"oracle".equals(System.getenv("ONLY"));
    for (String dir : args) {
      List<Path> files = LeaveOneInstanceOut.instancesIn(Path.of(dir));
      List<TracedWorkflow> in = files.stream().map(f -> WorkflowInputs.read(f, null)).map(FeatureSet.PRE_CALL::apply).toList();
      List<List<SimulatedCall>> tasks = in.stream().map(TracedWorkflow::tasks).toList();
      String app = Path.of(dir).getFileName().toString();
      double[] sum = new double[7]; int cnt = 0;
      for (int i = 0; i < in.size(); i++) {
        TracedWorkflow w = in.get(i);
        long fifo = simulate(w, m, SchedulingPolicy.fifo());
        double lb = MakespanBounds.of(w.runs(), m).lowerBound().toNanos() / (double) fifo;
        double ocp = simulate(w, m, CriticalPathScheduling.using(Simulator.oracle())) / (double) fifo;
        Map<String, Double> op = new HashMap<>();
        for (Workload r : w.runs()) { long[] p = r.calls().stream().mapToLong(c -> c.duration().toNanos()).toArray(); op.putAll(plan(r, p, m, iters)); }
        double osearch = simulate(w, m, fixed(op)) / (double) fifo;
        double lcp = Double.NaN, lsearch = Double.NaN, lchoose = Double.NaN;
        if (learned) {
          List<List<SimulatedCall>> training = new ArrayList<>();
          for (int j = 0; j < tasks.size(); j++) if (j != i) training.add(tasks.get(j));
          LatencyModel.Trained model = LatencyModel.trainOnInstances(training, tasks.get(i), 42, null, true, f -> Categories.isOf(f, Categories.MACHINE));
          Predictor pr = model.predictor();
          lcp = simulate(w, m, CriticalPathScheduling.using(pr)) / (double) fifo;
          // estimates: capture what the predictor says per call through a recording policy run
          Map<String, Long> estimates = new HashMap<>();
          SchedulingPolicy recorder = new SchedulingPolicy() {
            public <C extends PendingCall> ReadyQueue<C> newQueue(List<C> calls) {
              for (C c : calls) { Prediction x = null; try { x = pr.predict(c); } catch (RuntimeException e) {} estimates.put(c.callId(), x == null ? 0L : x.latency().toNanos()); }
              return SchedulingPolicy.fifo().newQueue(calls);
            }
          };
          simulate(w, m, recorder);
          Map<String, Double> lp = new HashMap<>();
          for (Workload r : w.runs()) { long[] p = r.calls().stream().mapToLong(c -> estimates.get(c.id())).toArray(); lp.putAll(plan(r, p, m, iters)); }
          lsearch = simulate(w, m, fixed(lp)) / (double) fifo;
          // choose FIFO or CP by the makespan the PREDICTED durations give (custom list scheduler)
          long predFifo = 0, predCp = 0;
          for (Workload r : w.runs()) {
            List<SimulatedCall> cs = r.calls(); int n = cs.size();
            DependencyGraph g = DependencyGraph.of(cs, SimulatedCall::id, SimulatedCall::dependsOn);
            int[][] d = new int[n][], k = new int[n][]; long[] p = new long[n];
            for (int q = 0; q < n; q++) { d[q] = g.dependencies(q); k[q] = g.dependents(q); p[q] = estimates.get(cs.get(q).id()); }
            double[] fifoPrio = new double[n]; for (int q = 0; q < n; q++) fifoPrio[q] = -q;
            predFifo += schedule(d, k, p, fifoPrio, m, new long[n], new long[n]);
            predCp += schedule(d, k, p, bl(k, g.topologicalOrder(), p), m, new long[n], new long[n]);
          }
          lchoose = predCp < predFifo ? lcp : 1.0;
        }
        double[] v = {lb, ocp, osearch, lcp, lsearch, lchoose};
        for (int q = 0; q < v.length; q++) sum[q] += v[q]; cnt++;
        System.out.printf(Locale.ROOT, "%-12s %-45s lb=%.3f O_cp=%.3f O_search=%.3f L_cp=%.3f L_search=%.3f L_choose=%.3f%n", app, Path.of(w.file()).getFileName(), lb, ocp, osearch, lcp, lsearch, lchoose);
      }
      System.out.printf(Locale.ROOT, "%-12s AVERAGE lb=%.3f O_cp=%.3f O_search=%.3f L_cp=%.3f L_search=%.3f L_choose=%.3f%n", app, sum[0]/cnt, sum[1]/cnt, sum[2]/cnt, sum[3]/cnt, sum[4]/cnt, sum[5]/cnt);
      System.out.flush();
    }
  }
}
