import dev.parallax.adaptive.limit.ConcurrencyLimit;
import java.util.Random;
public class Lucky {
  static final long REF = 20_000_000L;
  public static void main(String[] a) throws Exception {
    double luck = Double.parseDouble(a[0]); int lucky = Integer.parseInt(a[1]);
    for (String v : new String[] {"HEAD", "V10", "V11"}) {
      StringBuilder sb = new StringBuilder(v + ":"); int bad = 0; double minMean = 1e9;
      for (long seed = 1; seed <= 40; seed++) {
        Object b = Class.forName(v + "Limit").getMethod("builder").invoke(null);
        b.getClass().getMethod("initialLimit", int.class).invoke(b, 4);
        ConcurrencyLimit l = (ConcurrencyLimit) b.getClass().getMethod("build").invoke(b);
        Random random = new Random(seed); int workers = 8; long sum = 0; int cnt = 0;
        for (int i = 0; i < 3000; i++) {
          int n = l.limit();
          double service = -Math.log(1 - random.nextDouble());
          if (i < lucky) service *= luck;
          long latency = (long) (REF * Math.max(1, (double) n / workers) * service);
          l.onSample(latency, n, false, 0);
          if (i >= 200 && i < 1000) { sum += Math.min(l.limit(), workers); cnt++; }
        }
        double m = (double) sum / cnt; minMean = Math.min(minMean, m); if (m < 7.5) bad++;
        sb.append(String.format(" %.1f", m));
      }
      System.out.printf("%s | min %.2f, <7.5: %d%n", sb, minMean, bad);
    }
  }
}
