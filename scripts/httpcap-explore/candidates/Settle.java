import java.util.Random;
public class Settle {
  public static void main(String[] a) {
    long REF = 100_000_000L;
    StringBuilder sb = new StringBuilder();
    double tot = 0;
    for (long seed = 1; seed <= 10; seed++) {
      DbgAdaptiveLimit l = DbgAdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
      Random random = new Random(seed);
      int workers = 8; int queue = 8;
      double sum = 0; int cnt = 0; long ok = 0;
      for (int i = 0; i < 50_000; i++) {
        if (i == 20_000) workers = 4;
        int n = l.limit();
        boolean rejected = n > workers + queue && random.nextInt(n) >= workers + queue;
        double service = -Math.log(1 - random.nextDouble());
        long latency = rejected ? REF / 20 : (long) (REF * Math.max(1, (double) n / workers) * service);
        l.onSample(latency, n, rejected, 0);
        if (i >= 25_000) { sum += n; cnt++; }
      }
      sb.append(String.format(java.util.Locale.ROOT, "%.1f ", sum / cnt));
      tot += sum / cnt;
    }
    System.out.println("mean limit after halving (knee 4, target 5): " + sb + " avg " + String.format("%.2f", tot / 10));
  }
}
