// Per-application diagnostics of the real WfInstances traces (issue 14 item 1).
// Run: java -cp samples/target/parallax.jar docs-drafts/models3-diag/Diag.java examples/workflows/real
// Every estimate is leave-one-instance-out: what is scored on instance i is learnt from the others.
import dev.parallax.analysis.FeatureSet;
import dev.parallax.analysis.LeaveOneInstanceOut;
import dev.parallax.analysis.internal.WorkflowInputs;
import dev.parallax.planner.sim.SimulatedCall;
import java.nio.file.*;
import java.util.*;

public class Diag {
  static double lg(SimulatedCall c) { return Math.log(Math.max(1e-6, c.duration().toNanos() / 1e9)); }

  public static void main(String[] a) throws Exception {
    try (var dirs = Files.list(Path.of(a[0]))) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) app(dir);
    }
  }

  static void app(Path dir) {
    List<List<SimulatedCall>> inst = new ArrayList<>();
    for (Path f : LeaveOneInstanceOut.instancesIn(dir))
      inst.add(FeatureSet.PRE_CALL.apply(WorkflowInputs.read(f, null)).tasks());
    int k = inst.size();
    Set<String> tools = new TreeSet<>();
    inst.forEach(l -> l.forEach(c -> tools.add(c.tool())));
    System.out.printf("%n== %s: %d instances, %d tasks, %d tools%n", dir.getFileName(), k,
        inst.stream().mapToInt(List::size).sum(), tools.size());
    System.out.printf("  %-28s %5s %4s | %6s %6s %6s %6s %6s | %s%n", "tool", "rows", "inst",
        "mean", "median", "knn5", "lookup", "ownmu", "features varying within the tool: spearman rho with log latency");
    double[] tot = new double[5];
    int totN = 0;
    for (String tool : tools) {
      List<List<SimulatedCall>> per = inst.stream().map(l -> l.stream().filter(c -> c.tool().equals(tool)).toList()).toList();
      int n = per.stream().mapToInt(List::size).sum();
      long ninst = per.stream().filter(l -> !l.isEmpty()).count();
      // feature names that vary within the tool
      Map<String, double[]> range = new TreeMap<>();
      for (var l : per) for (var c : l) for (var e : c.features().entrySet()) {
        double[] r = range.computeIfAbsent(e.getKey(), x -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE});
        r[0] = Math.min(r[0], e.getValue()); r[1] = Math.max(r[1], e.getValue());
      }
      List<String> varying = range.entrySet().stream().filter(e -> e.getValue()[1] > e.getValue()[0]).map(Map.Entry::getKey).toList();
      double[] err = new double[5];
      for (int i = 0; i < k; i++) {
        List<SimulatedCall> test = per.get(i);
        if (test.isEmpty()) continue;
        List<SimulatedCall> train = new ArrayList<>();
        for (int j = 0; j < k; j++) if (j != i) train.addAll(per.get(j));
        double own = test.stream().mapToDouble(Diag::lg).average().orElse(0);
        if (train.isEmpty()) continue;
        double[] y = train.stream().mapToDouble(Diag::lg).toArray();
        double mu = Arrays.stream(y).average().orElse(0);
        double[] ys = y.clone(); Arrays.sort(ys);
        double med = ys.length % 2 == 1 ? ys[ys.length / 2] : (ys[ys.length / 2 - 1] + ys[ys.length / 2]) / 2;
        // standardised log1p features for knn
        double[] m = new double[varying.size()], s = new double[varying.size()];
        double[][] X = new double[train.size()][];
        for (int t = 0; t < train.size(); t++) X[t] = vec(train.get(t), varying);
        for (int f = 0; f < m.length; f++) {
          final int ff = f;
          m[f] = Arrays.stream(X).mapToDouble(r -> r[ff]).average().orElse(0);
          s[f] = Math.sqrt(Arrays.stream(X).mapToDouble(r -> (r[ff] - m[ff]) * (r[ff] - m[ff])).average().orElse(0));
          if (s[f] == 0) s[f] = 1;
        }
        Map<String, double[]> look = new HashMap<>();
        for (int t = 0; t < train.size(); t++) {
          double[] v = look.computeIfAbsent(Arrays.toString(X[t]), x -> new double[2]);
          v[0] += y[t]; v[1]++;
        }
        for (SimulatedCall c : test) {
          double act = lg(c);
          double[] x = vec(c, varying);
          Integer[] idx = new Integer[train.size()];
          double[] d = new double[train.size()];
          for (int t = 0; t < train.size(); t++) {
            idx[t] = t;
            double dd = 0;
            for (int f = 0; f < x.length; f++) { double z = (x[f] - X[t][f]) / s[f]; dd += z * z; }
            d[t] = dd;
          }
          Arrays.sort(idx, Comparator.comparingDouble(t -> d[t]));
          int kk = Math.min(5, idx.length);
          double[] nb = new double[kk];
          for (int q = 0; q < kk; q++) nb[q] = y[idx[q]];
          Arrays.sort(nb);
          double knn = kk % 2 == 1 ? nb[kk / 2] : (nb[kk / 2 - 1] + nb[kk / 2]) / 2;
          double[] lv = look.get(Arrays.toString(x));
          double lookup = lv == null ? mu : lv[0] / lv[1];
          err[0] += Math.abs(act - mu); err[1] += Math.abs(act - med); err[2] += Math.abs(act - knn);
          err[3] += Math.abs(act - lookup); err[4] += Math.abs(act - own);
        }
      }
      StringBuilder sb = new StringBuilder();
      for (String f : varying) {
        List<double[]> pairs = new ArrayList<>();
        for (var l : per) for (var c : l) pairs.add(new double[] {c.features().getOrDefault(f, 0.0), lg(c)});
        sb.append(String.format(Locale.ROOT, "%s %.2f  ", f, spearman(pairs)));
      }
      System.out.printf(Locale.ROOT, "  %-28s %5d %4d | %6.3f %6.3f %6.3f %6.3f %6.3f | %s%n", trunc(tool), n, ninst,
          err[0] / n, err[1] / n, err[2] / n, err[3] / n, err[4] / n, sb);
      for (int q = 0; q < 5; q++) tot[q] += err[q];
      totN += n;
    }
    System.out.printf(Locale.ROOT, "  %-28s %5d      | %6.3f %6.3f %6.3f %6.3f %6.3f | ratios to mean: median %.3f knn5 %.3f lookup %.3f own-instance-mean %.3f%n",
        "ALL (pooled rows)", totN, tot[0] / totN, tot[1] / totN, tot[2] / totN, tot[3] / totN, tot[4] / totN,
        tot[1] / tot[0], tot[2] / tot[0], tot[3] / tot[0], tot[4] / tot[0]);
  }

  static String trunc(String s) { return s.length() > 28 ? s.substring(0, 28) : s; }

  static double[] vec(SimulatedCall c, List<String> names) {
    double[] v = new double[names.size()];
    for (int i = 0; i < v.length; i++) v[i] = Math.log1p(Math.abs(c.features().getOrDefault(names.get(i), 0.0)));
    return v;
  }

  static double spearman(List<double[]> p) {
    double[] rx = rank(p.stream().mapToDouble(r -> r[0]).toArray()), ry = rank(p.stream().mapToDouble(r -> r[1]).toArray());
    double mx = Arrays.stream(rx).average().orElse(0), my = Arrays.stream(ry).average().orElse(0), sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < rx.length; i++) { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my); }
    return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
  }

  static double[] rank(double[] v) {
    Integer[] i = new Integer[v.length];
    for (int q = 0; q < v.length; q++) i[q] = q;
    Arrays.sort(i, Comparator.comparingDouble(q -> v[q]));
    double[] r = new double[v.length];
    for (int q = 0; q < v.length; ) {
      int e = q; while (e + 1 < v.length && v[i[e + 1]] == v[i[q]]) e++;
      for (int t = q; t <= e; t++) r[i[t]] = (q + e) / 2.0;
      q = e + 1;
    }
    return r;
  }
}
