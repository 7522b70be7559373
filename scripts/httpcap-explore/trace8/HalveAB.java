import dev.parallax.samples.bench.capacity.Backend;
import dev.parallax.samples.bench.capacity.HttpBackend;
import java.util.*;

/** httpcap8: the bench's HTTP halving run (8 s, halves at 4 s, judged on 5..8 s) for variants on seeds base..base+n-1. */
public final class HalveAB {
  public static void main(String[] args) throws Exception {
    long base = Long.getLong("base", 4200); int n = Integer.getInteger("n", 8);
    String[] names = System.getenv().getOrDefault("VARIANTS", "V12,V11").split(",");
    new HttpBackend(8, 8, 20, 250, 99).warmUp(2);
    Map<String, List<Double>> after = new LinkedHashMap<>();
    for (String v : names) after.put(v, new ArrayList<>());
    for (int k = 0; k < n; k++) {
      HttpBackend backend = new HttpBackend(8, 8, 20, 250, base + k);
      for (int i = 0; i < names.length; i++) {
        String name = names[(i + k) % names.length];
        Backend.Outcome o = backend.run(Trace8.variant(name, new ArrayList<>()), new Backend.Schedule(8, 0, 4, 0.2));
        List<Double> bins = o.binThroughput();
        double sum = 0; int c = 0;
        for (int b = 25; b < Math.min(40, bins.size()); b++) { sum += bins.get(b); c++; }
        after.get(name).add(sum / c);
        System.out.printf(Locale.ROOT, "seed %d %-5s after-halving goodput %.1f/s (bins %d)%n", base + k, name, sum / c, bins.size());
      }
    }
    for (var e : after.entrySet()) System.out.printf(Locale.ROOT, "%s median %.1f %s%n", e.getKey(), Trace8.med(e.getValue()), e.getValue());
  }
}
