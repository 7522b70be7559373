import dev.parallax.adaptive.limit.AdaptiveLimit;
import dev.parallax.adaptive.limit.ConcurrencyLimit;
import dev.parallax.samples.bench.capacity.Backend;
import dev.parallax.samples.bench.capacity.HttpBackend;
import dev.parallax.samples.bench.capacity.Limiter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Interleaved A/B of limiters on the loopback HTTP backend (the bench's settings: 8 workers, queue
 * 8, 20 ms mean wait, 250 ms timeout), on seeds the bench does not use. Steady runs of 2 s (0.5 s
 * warm-up) and halving runs of 8 s (halved at 4 s, judged from 5 s). Variants are rotated per seed.
 * Usage: AB SEEDS [steady|halving|both]
 */
public final class AB {

  static Limiter of(ConcurrencyLimit l) {
    return new Limiter() {
      @Override
      public int limit() {
        return l.limit();
      }

      @Override
      public void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed) {
        l.onSample(latencyNanos, inFlight, failed, 0);
      }
    };
  }

  static Supplier<Limiter> fresh(double tolerance) {
    return () ->
        of(AdaptiveLimit.builder().initialLimit(4).maxLimit(200).latencyTolerance(tolerance).build());
  }

  public static void main(String[] args) {
    int seeds = Integer.parseInt(args[0]);
    String mode = args.length > 1 ? args[1] : "both";
    String only = System.getenv().getOrDefault("VARIANTS", "");
    Map<String, Supplier<Limiter>> steady = new LinkedHashMap<>();
    steady.put("fixed12", () -> Limiter.fixed(12));
    steady.put("fixed16", () -> Limiter.fixed(16));
    steady.put("fixed20", () -> Limiter.fixed(20));
    steady.put("old", () -> of(OldAdaptiveLimit.builder().initialLimit(4).maxLimit(200).build()));
    for (String t : System.getenv().getOrDefault("TOLS", "0.25,0.5,1.0").split(",")) {
      steady.put("new" + t, fresh(Double.parseDouble(t)));
    }
    if (!only.isEmpty()) {
      steady.keySet().retainAll(List.of(only.split(",")));
    }
    Map<String, Supplier<Limiter>> halving = new LinkedHashMap<>(steady);
    halving.remove("fixed16");
    halving.remove("fixed20");
    halving.put("fixed8", () -> Limiter.fixed(8));
    Map<String, List<double[]>> st = new LinkedHashMap<>();
    Map<String, List<double[]>> hv = new LinkedHashMap<>();
    new HttpBackend(8, 8, 20, 250, 99).warmUp(2);
    for (int s = 0; s < seeds; s++) {
      long seed = 1000 + s;
      HttpBackend backend = new HttpBackend(8, 8, 20, 250, seed);
      if (!mode.equals("halving")) {
        List<String> names = new ArrayList<>(steady.keySet());
        Collections.rotate(names, -s);
        for (String name : names) {
          Backend.Outcome o = backend.run(steady.get(name).get(), Backend.Schedule.steady(2, 0.5));
          st.computeIfAbsent(name, k -> new ArrayList<>())
              .add(new double[] {o.successesPerSecond(), o.successRate(), o.meanLimit(), o.p95LatencyMs()});
          System.out.printf(Locale.ROOT, "steady seed %d %-9s goodput %6.1f success %.3f limit %5.1f p95 %5.1f%n",
              seed, name, o.successesPerSecond(), o.successRate(), o.meanLimit(), o.p95LatencyMs());
        }
      }
      if (!mode.equals("steady")) {
        List<String> names = new ArrayList<>(halving.keySet());
        Collections.rotate(names, -s);
        for (String name : names) {
          Backend.Outcome o = backend.run(halving.get(name).get(), new Backend.Schedule(8, 0, 4, 0.2));
          List<Double> bins = o.binThroughput();
          double before = mean(bins, 10, 20);
          double after = mean(bins, 25, 40);
          hv.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {before, after});
          System.out.printf(Locale.ROOT, "halving seed %d %-9s before %6.1f after-settle %6.1f%n",
              seed, name, before, after);
        }
      }
      System.out.flush();
    }
    System.out.println("=== medians [min-max] over " + seeds + " seeds");
    st.forEach((k, v) -> System.out.printf(Locale.ROOT, "steady %-9s goodput %s success %s limit %s p95 %s%n",
        k, spread(v, 0), spread(v, 1), spread(v, 2), spread(v, 3)));
    hv.forEach((k, v) -> System.out.printf(Locale.ROOT, "halving %-9s after %s%n", k, spread(v, 1)));
    paired(st, 0, "steady");
    paired(hv, 1, "halving");
  }

  static void paired(Map<String, List<double[]>> m, int col, String what) {
    for (String a : m.keySet()) {
      for (String b : List.of("old", "fixed16", "fixed20", "fixed12", "fixed8")) {
        if (!m.containsKey(b) || a.equals(b)) continue;
        List<double[]> x = m.get(a), y = m.get(b);
        List<double[]> r = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) r.add(new double[] {x.get(i)[col] / y.get(i)[col]});
        System.out.printf(Locale.ROOT, "%s paired %s/%s %s%n", what, a, b, spread(r, 0));
      }
    }
  }

  static double mean(List<Double> v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) s += v.get(i);
    return s / (to - from);
  }

  static String spread(List<double[]> v, int col) {
    double[] a = v.stream().mapToDouble(x -> x[col]).sorted().toArray();
    double med = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    return String.format(Locale.ROOT, "%.3f [%.3f-%.3f]", med, a[0], a[a.length - 1]);
  }
}
