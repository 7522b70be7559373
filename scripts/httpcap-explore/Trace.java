import com.netflix.concurrency.limits.limit.VegasLimit;
import dev.parallax.adaptive.limit.AdaptiveLimit;
import dev.parallax.samples.bench.capacity.Backend;
import dev.parallax.samples.bench.capacity.HttpBackend;
import dev.parallax.samples.bench.capacity.Limiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Instruments runs of the adaptive limit and Vegas on the loopback HTTP backend with the bench's
 * settings (8 workers, queue 8, 20 ms, 250 ms timeout; runs of 4 s with 1 s warm-up, twice the full bench's) on seeds the bench
 * does not use: every sample is logged (start, latency, in flight, failed, limit after it), then
 * summarised per 100 ms bin and per phase. Usage: {@code [VARIANTS=adaptive,vegas8,fixed12,V5]
 * java -Dbase=2000 Trace SEEDS [detail]}; a variant {@code X} other than the named ones loads a
 * class {@code XLimit} (a renamed copy of AdaptiveLimit, see candidates/). Variants are rotated per
 * seed.
 */
public final class Trace {

  record S(long start, long latency, int inFlight, boolean failed, int limitAfter) {}

  static final class Logging implements Limiter {
    final Limiter inner;
    final List<S> samples = new ArrayList<>();

    Logging(Limiter inner) {
      this.inner = inner;
    }

    @Override
    public int limit() {
      return inner.limit();
    }

    @Override
    public void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed) {
      inner.onSample(startNanos, latencyNanos, inFlight, failed);
      samples.add(new S(startNanos, latencyNanos, inFlight, failed, inner.limit()));
    }
  }

  static Limiter adaptive() {
    return Limiter.adaptive(AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build(), 0);
  }

  /** A candidate class {@code <name>Limit} (a renamed copy of AdaptiveLimit) with its defaults. */
  static Limiter variant(String name) {
    try {
      Object builder = Class.forName(name + "Limit").getMethod("builder").invoke(null);
      builder.getClass().getMethod("initialLimit", int.class).invoke(builder, 4);
      builder.getClass().getMethod("maxLimit", int.class).invoke(builder, 200);
      dev.parallax.adaptive.limit.ConcurrencyLimit l =
          (dev.parallax.adaptive.limit.ConcurrencyLimit) builder.getClass().getMethod("build").invoke(builder);
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
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static Limiter vegas(int alpha) {
    VegasLimit.Builder b = VegasLimit.newBuilder().initialLimit(4).maxConcurrency(200);
    if (alpha > 0) {
      b.alpha(alpha).beta(2 * alpha);
    }
    return Limiter.netflix(b.build());
  }

  public static void main(String[] args) {
    int seeds = Integer.parseInt(args[0]);
    boolean detail = args.length > 1;
    new HttpBackend(8, 8, 20, 250, 99).warmUp(2);
    String[] names = System.getenv().getOrDefault("VARIANTS", "adaptive,vegas8,vegasdef,fixed16").split(",");
    for (int s = 0; s < seeds; s++) {
      long seed = Long.getLong("base", 2000) + s;
      HttpBackend backend = new HttpBackend(8, 8, 20, 250, seed);
      for (int i = 0; i < names.length; i++) {
        String name = names[(i + s) % names.length];
        Limiter inner =
            switch (name) {
              case "adaptive" -> adaptive();
              case "vegas8" -> vegas(8);
              case "vegasdef" -> vegas(0);
              case "vegas4" -> vegas(4);
              case "V3", "V5", "V6" -> variant(name);
              default -> Limiter.fixed(Integer.parseInt(name.substring(5)));
            };
        Logging l = new Logging(inner);
        Backend.Outcome o = backend.run(l, Backend.Schedule.steady(4, 1));
        summarise(seed, name, o, l.samples, detail);
      }
    }
  }

  static void summarise(long seed, String name, Backend.Outcome o, List<S> samples, boolean detail) {
    // bins by finish time, 100 ms
    int bins = 40;
    double[] ok = new double[bins];
    double[] fail = new double[bins];
    double[] limitSum = new double[bins];
    double[] inSum = new double[bins];
    int[] n = new int[bins];
    long reachKnee = -1;
    int changes = 0;
    int cuts = 0;
    int prev = 4;
    List<String> events = new ArrayList<>();
    for (S x : samples) {
      long end = x.start + x.latency;
      int b = (int) (end / 100_000_000L);
      if (b >= bins) continue;
      if (x.failed) fail[b]++;
      else ok[b]++;
      limitSum[b] += x.limitAfter;
      inSum[b] += x.inFlight;
      n[b]++;
      if (reachKnee < 0 && x.limitAfter >= 8) reachKnee = end;
      if (x.limitAfter != prev) {
        changes++;
        if (x.limitAfter < prev) cuts++;
        events.add(String.format(Locale.ROOT, "%.2fs %d->%d%s", end / 1e9, prev, x.limitAfter, x.failed ? "F" : ""));
        prev = x.limitAfter;
      }
    }
    // time-weighted histogram of the limit over the measured period (1..4 s)
    double[] atLevel = new double[64];
    long t = 1_000_000_000L;
    int cur = 4;
    for (S x : samples) {
      long end = x.start + x.latency;
      if (end > 1_000_000_000L && end < 4_000_000_000L) {
        atLevel[Math.min(63, cur)] += (end - t) / 1e9;
        t = end;
      }
      if (end < 4_000_000_000L) cur = x.limitAfter;
    }
    atLevel[Math.min(63, cur)] += Math.max(0, 4_000_000_000L - t) / 1e9;
    StringBuilder hist = new StringBuilder();
    for (int i = 0; i < 64; i++) if (atLevel[i] > 0.005) hist.append(String.format(Locale.ROOT, " %d:%.2f", i, atLevel[i]));
    // time-weighted share of measured time (1..4 s) with limit < 8 / < 10
    double below8 = 0;
    double measuredFail = 0;
    double measuredOk = 0;
    for (int b = 10; b < bins; b++) {
      if (n[b] > 0 && limitSum[b] / n[b] < 8) below8 += 0.1;
      measuredFail += fail[b];
      measuredOk += ok[b];
    }
    System.out.printf(Locale.ROOT,
        "seed %d %-9s goodput %6.1f success %.3f meanLimit %5.1f p95 %5.1f | knee(limit>=8) at %.2fs, changes %d cuts %d, bins<8 in 1..4s: %.1fs, ok %d fail %d%n",
        seed, name, o.successesPerSecond(), o.successRate(), o.meanLimit(), o.p95LatencyMs(),
        reachKnee / 1e9, changes, cuts, below8, (long) measuredOk, (long) measuredFail);
    System.out.println("   time at limit (s):" + hist);
    if (detail) {
      StringBuilder sb = new StringBuilder("   bins(ok/s,limit,inflight,fail): ");
      for (int b = 0; b < bins; b++) {
        sb.append(String.format(Locale.ROOT, "[%d %.0f %.1f %.1f %d]", b, ok[b] * 10, n[b] > 0 ? limitSum[b] / n[b] : 0, n[b] > 0 ? inSum[b] / n[b] : 0, (int) fail[b]));
      }
      System.out.println(sb);
      if (name.equals("adaptive")) System.out.println("   events: " + String.join(" ", events));
    }
  }
}
