// Why the gate refuses, per application and tool, training on all instances but the first.
// Run: java -cp samples/target/parallax.jar docs-drafts/models3-diag/Gate.java examples/workflows/real
import dev.parallax.analysis.FeatureSet;
import dev.parallax.analysis.LeaveOneInstanceOut;
import dev.parallax.analysis.internal.LatencyModel;
import dev.parallax.analysis.internal.WorkflowInputs;
import dev.parallax.planner.sim.SimulatedCall;
import java.nio.file.*;
import java.util.*;

public class Gate {
  public static void main(String[] a) throws Exception {
    try (var dirs = Files.list(Path.of(a[0]))) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        List<Path> files = LeaveOneInstanceOut.instancesIn(dir);
        List<SimulatedCall> train = new ArrayList<>();
        for (Path f : files.subList(1, files.size()))
          train.addAll(FeatureSet.PRE_CALL.apply(WorkflowInputs.read(f, null)).tasks());
        List<SimulatedCall> test = FeatureSet.PRE_CALL.apply(WorkflowInputs.read(files.get(0), null)).tasks();
        var t = LatencyModel.train(train, test, 42, null);
        System.out.println("== " + dir.getFileName() + " (held out " + files.get(0).getFileName() + ")");
        t.predictor().report().latencyByTool().forEach((tool, c) ->
            System.out.printf("  %-26s %-16s s=%.1f used=%-5s %s | %s%n", tool, c.model(), c.shrinkage(), c.used(), c.gain(), c.reason()));
      }
    }
  }
}
