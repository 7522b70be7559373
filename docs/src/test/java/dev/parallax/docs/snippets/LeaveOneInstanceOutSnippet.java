package dev.parallax.docs.snippets;

import dev.parallax.analysis.LeaveOneInstanceOut;
import dev.parallax.analysis.LoioEvaluation;
import java.nio.file.Path;

/** The README's leave-one-instance-out evaluation on real workflow executions. */
public class LeaveOneInstanceOutSnippet {

  /** Runs the snippet on an application directory; returns the printed line. */
  public String run(Path directory) {
    // README:begin
    LoioEvaluation bwa =
        LeaveOneInstanceOut.builder() // 4 slots, pre-call features, 95% intervals
            .build()
            .evaluate("bwa", LeaveOneInstanceOut.instancesIn(directory));
    String line =
        "%s: MAE(log) %.3f vs per-tool mean %.3f, ratio %.3f [%.3f, %.3f] on %d rows; learned %.3f x FIFO"
            .formatted(
                bwa.application(),
                bwa.modelMae(),
                bwa.perToolMeanMae(),
                bwa.averageRatio(),
                bwa.averageRatioLow(),
                bwa.averageRatioHigh(),
                bwa.rows(),
                bwa.makespanRatio());
    // README:end
    return line;
  }
}
