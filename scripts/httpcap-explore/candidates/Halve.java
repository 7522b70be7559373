import java.util.Random;
public class Halve {
  public static void main(String[] a) {
    long REF = 100_000_000L;
    long seed = Long.parseLong(a[0]);
      DbgAdaptiveLimit l = DbgAdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
      Random random = new Random(seed);
      int workers = 8; int queue = 8; int calls = -1;
      for (int i = 0; i < 25_000 && calls < 0; i++) {
        if (i == 19_800) DbgAdaptiveLimit.DEBUG = true;
        if (i == 20_000) { System.err.println("HALVE at limit " + l.limit()); workers = 4; }
        int n = l.limit();
        boolean rejected = n > workers + queue && random.nextInt(n) >= workers + queue;
        double service = -Math.log(1 - random.nextDouble());
        long latency = rejected ? REF / 20 : (long) (REF * Math.max(1, (double) n / workers) * service);
        l.onSample(latency, n, rejected, 0);
        if (i >= 20_000 && l.limit() <= 7) calls = i - 20_000 + 1;
        if (i > 21000) DbgAdaptiveLimit.DEBUG = false;
      }
      System.err.println("calls " + calls);
  }
}
