import dev.parallax.samples.bench.capacity.Backend;
import dev.parallax.samples.bench.capacity.HttpBackend;
import dev.parallax.samples.bench.capacity.Limiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** httpcap7: runs named variants on the bench's HTTP settings and schedule (2 s, 0.5 s warm-up) on given seeds, logging each decision. */
public final class Trace7 {
  static volatile long now;
  record S(long start, long latency, int inFlight, boolean failed, int limitAfter) {}

  static final class Logging implements Limiter {
    final Limiter inner;
    final List<S> samples = new ArrayList<>();
    Logging(Limiter inner) { this.inner = inner; }
    @Override public int limit() { return inner.limit(); }
    @Override public void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed) {
      now = startNanos + latencyNanos;
      inner.onSample(startNanos, latencyNanos, inFlight, failed);
      samples.add(new S(startNanos, latencyNanos, inFlight, failed, inner.limit()));
    }
  }

  @SuppressWarnings("unchecked")
  static Limiter variant(String name, List<String> log) {
    try {
      Class<?> c = Class.forName(name + "Limit");
      c.getField("DEBUG").set(null, (Consumer<String>) s -> log.add(String.format(Locale.ROOT, "%.3fs %s", now / 1e9, s)));
      Object builder = c.getMethod("builder").invoke(null);
      builder.getClass().getMethod("initialLimit", int.class).invoke(builder, 4);
      builder.getClass().getMethod("maxLimit", int.class).invoke(builder, 200);
      dev.parallax.adaptive.limit.ConcurrencyLimit l = (dev.parallax.adaptive.limit.ConcurrencyLimit) builder.getClass().getMethod("build").invoke(builder);
      return new Limiter() {
        @Override public int limit() { return l.limit(); }
        @Override public void onSample(long s, long lat, int inFlight, boolean failed) { l.onSample(lat, inFlight, failed, 0); }
      };
    } catch (ReflectiveOperationException e) { throw new IllegalStateException(e); }
  }

  public static void main(String[] args) {
    String[] seeds = args[0].split(",");
    int reps = Integer.parseInt(args[1]);
    boolean detail = args.length > 2;
    double secs = Double.parseDouble(System.getProperty("secs", "2"));
    new HttpBackend(8, 8, 20, 250, 99).warmUp(2);
    String[] names = System.getenv().getOrDefault("VARIANTS", "HEAD,V8,V10,fixed12").split(",");
    int k = 0;
    for (int rep = 0; rep < reps; rep++) {
      for (String seedS : seeds) {
        long seed = Long.parseLong(seedS);
        HttpBackend backend = new HttpBackend(8, 8, 20, 250, seed);
        for (int i = 0; i < names.length; i++) {
          String name = names[(i + k) % names.length];
          List<String> log = new ArrayList<>();
          Limiter inner = name.startsWith("fixed") ? Limiter.fixed(Integer.parseInt(name.substring(5))) : variant(name, log);
          Logging l = new Logging(inner);
          Backend.Outcome o = backend.run(l, Backend.Schedule.steady(secs, secs / 4));
          summarise(seed, rep, name, o, l.samples, secs);
          if (detail && !log.isEmpty()) log.forEach(s -> System.out.println("     " + s));
        }
        k++;
      }
    }
  }

  static void summarise(long seed, int rep, String name, Backend.Outcome o, List<S> samples, double secs) {
    long warm = (long) (secs / 4 * 1e9), endT = (long) (secs * 1e9);
    double[] atLevel = new double[64];
    long t = warm; int cur = 4;
    for (S x : samples) {
      long end = x.start + x.latency;
      if (end > warm && end < endT) { atLevel[Math.min(63, cur)] += (end - t) / 1e9; t = end; }
      if (end < endT) cur = x.limitAfter;
    }
    atLevel[Math.min(63, cur)] += Math.max(0, endT - t) / 1e9;
    StringBuilder hist = new StringBuilder();
    for (int i = 0; i < 64; i++) if (atLevel[i] > 0.005) hist.append(String.format(Locale.ROOT, " %d:%.2f", i, atLevel[i]));
    int bins = (int) Math.ceil(secs * 10);
    double[] ok = new double[bins]; double[] lim = new double[bins]; int[] n = new int[bins];
    for (S x : samples) { int b = (int) ((x.start + x.latency) / 100_000_000L); if (b >= bins) continue; if (!x.failed) ok[b]++; lim[b] += x.limitAfter; n[b]++; }
    StringBuilder bs = new StringBuilder();
    for (int b = 0; b < bins; b++) bs.append(String.format(Locale.ROOT, " %.0f/%.0f", ok[b] * 10, n[b] > 0 ? lim[b] / n[b] : 0));
    System.out.printf(Locale.ROOT, "seed %d rep %d %-8s goodput %6.1f success %.3f meanLimit %5.1f p95 %5.1f | at limit:%s%n   bins(ok/s / limit):%s%n",
        seed, rep, name, o.successesPerSecond(), o.successRate(), o.meanLimit(), o.p95LatencyMs(), hist, bs);
  }
}
