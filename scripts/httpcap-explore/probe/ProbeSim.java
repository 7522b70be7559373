import dev.parallax.adaptive.limit.AdaptiveLimit;
import java.util.Random;
public class ProbeSim {
  static final long REF = 100_000_000L;
  public static void main(String[] a) {
    StringBuilder st = new StringBuilder("stall lowest:"), hb = new StringBuilder("halve before/calls:"), rr = new StringBuilder("rise mean/lowest:");
    for (long seed = Long.getLong("s0", 1); seed <= Long.getLong("s1", 10); seed++) {
      AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
      Random random = new Random(seed); int lowest = 999;
      for (int i = 0; i < 23_000; i++) { int n = l.limit(); double s = -Math.log(1 - random.nextDouble());
        double stall = i >= 20000 && i < 20030 ? 3 : 1; l.onSample((long)(REF*stall*Math.max(1,(double)n/8)*s), n, false, 0);
        if (i >= 20000) lowest = Math.min(lowest, l.limit()); }
      st.append(' ').append(lowest);
      l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build(); random = new Random(seed);
      int workers = 8, calls = -1, before = 0, minBefore = 999;
      for (int i = 0; i < 25_000 && calls < 0; i++) {
        if (i == 20_000) { before = l.limit(); workers = 4; }
        int n = l.limit(); if (i > 5000 && i < 20000) minBefore = Math.min(minBefore, n);
        boolean rej = n > workers + 8 && random.nextInt(n) >= workers + 8;
        double s = -Math.log(1 - random.nextDouble());
        l.onSample(rej ? REF/20 : (long)(REF*Math.max(1,(double)n/workers)*s), n, rej, 0);
        if (i >= 20000 && l.limit() <= 7) calls = i - 20000 + 1; }
      hb.append(' ').append(before).append('/').append(minBefore).append('/').append(calls);
      l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build(); random = new Random(seed);
      double delay = 0; lowest = 999; long sum = 0; int cnt = 0;
      for (int i = 0; i < 40_000; i++) { if (i == 20000) delay = 1; int n = l.limit(); double s = -Math.log(1 - random.nextDouble());
        l.onSample((long)(REF*Math.max(1+delay,(double)n/8)*s), n, false, 0);
        if (i >= 20000) lowest = Math.min(lowest, l.limit()); if (i >= 30000) { sum += l.limit(); cnt++; } }
      rr.append(String.format(" %.1f/%d", (double) sum / cnt, lowest));
    }
    System.out.println(st); System.out.println(hb); System.out.println(rr);
  }
}
