package dev.parallax.docs.snippets;

import dev.parallax.analysis.Analysis;
import dev.parallax.analysis.AnalysisListener;
import dev.parallax.analysis.Analyzer;
import dev.parallax.analysis.InputAnalysis;
import dev.parallax.analysis.TraceReaders;
import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.analysis.TrainingSplit;
import java.nio.file.Path;
import java.util.List;

/** The README's analysis library snippet (compiled only: it reads the user's trace file). */
public class AnalysisSnippet {

  void analyze() {
    // README:begin
    Analysis analysis =
        Analyzer.builder()
            .slots(8) // simulated concurrency, the N of the lower bound
            .trainingSplit(TrainingSplit.REST) // what the latency model learns from
            .listener(
                new AnalysisListener() { // progress and warnings; the library never prints
                  @Override
                  public void progress(int done, int total, String what) {
                    System.err.printf("%d/%d %s%n", done, total, what);
                  }
                })
            .build()
            .analyze(
                List.of(Path.of("trace.jsonl"), Path.of("examples/workflows/montage-40.json")));
    for (InputAnalysis in : analysis.inputs()) {
      System.out.println(
          in.input().file()
              + ": critical path "
              + in.criticalPathLength()
              + ", learned "
              + in.simulated().learned()
              + " vs fifo "
              + in.simulated().fifo()
              + ", model MAE "
              + in.model().maeLogLatency()
              + " vs "
              + in.model().baselineMaeLogLatency());
    }
    TracedWorkflow trace = TraceReaders.read(Path.of("trace.jsonl")); // format told from content
    // README:end
    trace.file();
  }
}
