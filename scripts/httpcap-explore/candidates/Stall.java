import java.util.Random;
public class Stall {
  public static void main(String[] a) {
    long REF = 100_000_000L;
    for (long seed = 1; seed <= 10; seed++) {
      DbgAdaptiveLimit l = DbgAdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
      Random random = new Random(seed);
      int lowest = 999;
      for (int i = 0; i < 23_000; i++) {
        int n = l.limit();
        double service = -Math.log(1 - random.nextDouble());
        double stall = i >= 20000 && i < 20030 ? 3 : 1;
        l.onSample((long) (REF * stall * Math.max(1, (double) n / 8) * service), n, false, 0);
        if (i >= 20000) lowest = Math.min(lowest, l.limit());
      }
      System.out.print("lowest " + lowest + " ");
    }
  }
}
