import com.netflix.concurrency.limits.limit.VegasLimit;
import dev.parallax.samples.bench.capacity.Backend;
import dev.parallax.samples.bench.capacity.HttpBackend;
import dev.parallax.samples.bench.capacity.Limiter;
import java.util.*;
import java.util.function.Consumer;

/**
 * httpcap8: the bench's HTTP settings and schedule (8 workers, queue 8, 20 ms, 250 ms timeout; 2 s
 * runs, 0.5 s warm-up) on seeds base..base+n-1; per seed every variant once (order rotated). Per
 * run: goodput, success, mean limit, seconds of the measured 1.5 s below the knee (limit < KNEE,
 * default 11), the end of the slow start (first decrease) and each decrease with its cause. Last:
 * per seed adaptive / the best vegasN in that seed, and a summary.
 * Variants: NAME (an instrumented NAMELimit class, see inst8.py), vegasA (alpha A, beta 2A), vegasLog
 * (Netflix default), fixedL.
 */
public final class Trace8 {
  static volatile long now;

  static final class Logging implements Limiter {
    final Limiter inner; final List<long[]> s = new ArrayList<>();
    Logging(Limiter inner) { this.inner = inner; }
    @Override public int limit() { return inner.limit(); }
    @Override public void onSample(long start, long lat, int inFlight, boolean failed) {
      now = start + lat; inner.onSample(start, lat, inFlight, failed);
      s.add(new long[] {start + lat, inner.limit()});
    }
  }

  @SuppressWarnings("unchecked")
  static Limiter variant(String name, List<String> log) throws ReflectiveOperationException {
    if (name.startsWith("fixed")) return Limiter.fixed(Integer.parseInt(name.substring(5)));
    if (name.equals("vegasLog")) return Limiter.netflix(VegasLimit.newBuilder().initialLimit(4).maxConcurrency(200).build());
    if (name.startsWith("vegas")) { int a = Integer.parseInt(name.substring(5));
      return Limiter.netflix(VegasLimit.newBuilder().initialLimit(4).maxConcurrency(200).alpha(a).beta(2 * a).build()); }
    Class<?> c = Class.forName(name + "Limit");
    c.getField("DEBUG").set(null, (Consumer<String>) s -> log.add(String.format(Locale.ROOT, "%.3fs %s", now / 1e9, s)));
    Object b = c.getMethod("builder").invoke(null);
    b.getClass().getMethod("initialLimit", int.class).invoke(b, 4);
    b.getClass().getMethod("maxLimit", int.class).invoke(b, 200);
    var l = (dev.parallax.adaptive.limit.ConcurrencyLimit) b.getClass().getMethod("build").invoke(b);
    return new Limiter() {
      @Override public int limit() { return l.limit(); }
      @Override public void onSample(long s, long lat, int f, boolean failed) { l.onSample(lat, f, failed, 0); }
    };
  }

  public static void main(String[] args) throws Exception {
    long base = Long.getLong("base", 4000); int n = Integer.getInteger("n", 10);
    int knee = Integer.getInteger("knee", 11); double secs = 2, warm = 0.5;
    boolean detail = Boolean.getBoolean("detail");
    new HttpBackend(8, 8, 20, 250, 99).warmUp(2);
    String[] names = System.getenv().getOrDefault("VARIANTS", "V11,vegas4,vegas8,fixed12").split(",");
    Map<String, List<Double>> good = new LinkedHashMap<>();
    for (String v : names) good.put(v, new ArrayList<>());
    List<Double> ratios = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      long seed = base + k;
      HttpBackend backend = new HttpBackend(8, 8, 20, 250, seed);
      Map<String, Double> g = new HashMap<>();
      for (int i = 0; i < names.length; i++) {
        String name = names[(i + k) % names.length];
        List<String> log = new ArrayList<>();
        Logging l = new Logging(variant(name, log));
        Backend.Outcome o = backend.run(l, Backend.Schedule.steady(secs, warm));
        g.put(name, o.successesPerSecond()); good.get(name).add(o.successesPerSecond());
        // time below the knee in the measured window
        long w = (long) (warm * 1e9), e = (long) (secs * 1e9), t = w; double below = 0; long cur = 4;
        for (long[] x : l.s) { if (x[0] > w && x[0] < e) { if (cur < knee) below += (x[0] - t) / 1e9; t = x[0]; } if (x[0] < e) cur = x[1]; }
        if (cur < knee) below += Math.max(0, e - t) / 1e9;
        String ssEnd = "-"; List<String> cuts = new ArrayList<>();
        for (String line : log) {
          var m = java.util.regex.Pattern.compile("^([0-9.]+)s (\\S+) #\\d+ lim (\\d+)->(\\d+)").matcher(line);
          if (m.find() && Integer.parseInt(m.group(4)) < Integer.parseInt(m.group(3))) {
            if (ssEnd.equals("-")) ssEnd = m.group(1);
            cuts.add(m.group(1) + " " + m.group(3) + "->" + m.group(4) + " " + m.group(2) + (line.contains("sat=true") ? "/sat" : ""));
          } else if (line.contains("probe")) cuts.add(line.substring(0, Math.min(line.length(), 40)));
        }
        System.out.printf(Locale.ROOT, "seed %d %-8s goodput %6.1f success %.3f meanLimit %5.1f belowKnee %.2fs ssEnd %s cuts %s%n",
            seed, name, o.successesPerSecond(), o.successRate(), o.meanLimit(), below, ssEnd, cuts);
        if (detail) log.forEach(s -> System.out.println("     " + s));
      }
      double bestV = 0; for (var en : g.entrySet()) if (en.getKey().startsWith("vegas")) bestV = Math.max(bestV, en.getValue());
      double r = g.get(names[0]) / bestV; ratios.add(r);
      System.out.printf(Locale.ROOT, "seed %d %s / best vegas %.3f%n", seed, names[0], r);
    }
    for (var en : good.entrySet()) System.out.printf(Locale.ROOT, "%-8s median %.1f [%.1f-%.1f]%n", en.getKey(), med(en.getValue()), Collections.min(en.getValue()), Collections.max(en.getValue()));
    System.out.printf(Locale.ROOT, "paired %s / best vegas: median %.3f [%.3f-%.3f], below 1: %d/%d%n", names[0], med(ratios), Collections.min(ratios), Collections.max(ratios), ratios.stream().filter(x -> x < 1).count(), ratios.size());
  }
  static double med(List<Double> v) { List<Double> s = new ArrayList<>(v); Collections.sort(s); int m = s.size(); return m % 2 == 1 ? s.get(m / 2) : (s.get(m / 2 - 1) + s.get(m / 2)) / 2; }
}
