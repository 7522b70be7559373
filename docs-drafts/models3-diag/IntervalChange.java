// How Gain intervals changed when Gain.bootstrap became the one-stratum case of PairedBootstrap.
// Run: java -cp adaptive/target/classes docs-drafts/models3-diag/IntervalChange.java
import dev.parallax.adaptive.Gain;
import java.util.*;
public class IntervalChange {
  // the old Gain.bootstrap (before this branch), verbatim in substance
  static double[] old(double[] m, double[] r, long seed) {
    int n = m.length; SplittableRandom random = new SplittableRandom(seed); double[] ratios = new double[1000];
    for (int b = 0; b < 1000; b++) { double a = 0, c = 0; for (int i = 0; i < n; i++) { int k = random.nextInt(n); a += m[k]; c += r[k]; } ratios[b] = c > 0 ? a / c : a > 0 ? Double.POSITIVE_INFINITY : 1; }
    Arrays.sort(ratios); return new double[] {ratios[(int) Math.floor(0.025 * 999)], ratios[(int) Math.ceil(0.975 * 999)]};
  }
  public static void main(String[] a) {
    double maxLow = 0, maxHigh = 0, sumW = 0, sumWOld = 0; int trials = 200;
    for (int t = 0; t < trials; t++) {
      Random g = new Random(t); int n = 30 + g.nextInt(2000); double[] m = new double[n], r = new double[n];
      for (int i = 0; i < n; i++) { r[i] = Math.abs(g.nextGaussian()); m[i] = Math.abs(g.nextGaussian() * (0.6 + 0.4 * g.nextDouble())); }
      double[] o = old(m, r, t); Gain nw = Gain.bootstrap(m, r, t);
      maxLow = Math.max(maxLow, Math.abs(nw.low() - o[0])); maxHigh = Math.max(maxHigh, Math.abs(nw.high() - o[1]));
      sumW += nw.high() - nw.low(); sumWOld += o[1] - o[0];
    }
    System.out.printf(Locale.ROOT, "%d random cases (30-2030 rows): max |low change| %.5f, max |high change| %.5f, mean width old %.4f new %.4f (%.2f%% narrower)%n",
        trials, maxLow, maxHigh, sumWOld / trials, sumW / trials, 100 * (1 - sumW / sumWOld));
  }
}
