package dev.parallax.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.planner.sim.SimulatedCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The library entry point on the committed synthetic WfFormat instances. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AnalyzerTest {

  /** The committed instances (tests run in the analysis module). */
  static final Path COMMITTED = Path.of("..", "examples", "workflows");

  @TempDir Path dir;

  static List<Path> instances;

  @BeforeAll
  static void listInstances() throws IOException {
    try (Stream<Path> files = Files.list(COMMITTED)) {
      instances = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(instances).hasSize(6);
  }

  @Test
  void analyze_givesOneResultPerInput_withFiguresThatBoundEverySchedule() {
    List<String> events = new ArrayList<>();
    Analysis analysis =
        Analyzer.builder()
            .slots(4)
            .listener(
                new AnalysisListener() {
                  @Override
                  public void progress(int done, int total, String what) {
                    events.add(done + "/" + total + " " + what);
                  }
                })
            .build()
            .analyze(instances.subList(0, 2));

    assertThat(analysis.slots()).isEqualTo(4);
    assertThat(analysis.trainingSplit()).isEqualTo(TrainingSplit.REST);
    assertThat(analysis.seed()).isEqualTo(42);
    assertThat(analysis.listenerFailures()).isZero();
    assertThat(analysis.inputs()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      InputAnalysis in = analysis.inputs().get(i);
      assertThat(in.input().file()).isEqualTo(instances.get(i).toString());
      assertThat(in.input().format()).isEqualTo(InputFormat.WFFORMAT);
      assertThat(in.slots()).isEqualTo(4);
      assertThat(in.lowerBound()).isGreaterThanOrEqualTo(in.criticalPathLength());
      for (Duration makespan :
          List.of(in.simulated().fifo(), in.simulated().learned(), in.simulated().oracle())) {
        assertThat(makespan).isGreaterThanOrEqualTo(in.lowerBound());
      }
      Duration sum = Duration.ZERO;
      for (int k = 0; k < in.criticalPath().size(); k++) {
        SimulatedCall task = in.criticalPath().get(k);
        sum = sum.plus(task.duration());
        if (k > 0) {
          assertThat(task.dependsOn()).contains(in.criticalPath().get(k - 1).id());
        }
      }
      assertThat(sum).isEqualTo(in.criticalPathLength());
      assertThat(in.tools()).isNotEmpty();
      assertThat(in.model().scoredTasks()).isPositive();
    }
    // five steps per input: read, train, three simulations; the last one reports all done
    assertThat(events).first().asString().startsWith("0/10 reading ");
    assertThat(events).last().asString().startsWith("10/10 ");
  }

  @Test
  void analyze_isReproducible_forTheSameSeed() {
    Analyzer analyzer = Analyzer.builder().seed(7).build();
    InputAnalysis a = analyzer.analyze(instances.subList(0, 1)).inputs().getFirst();
    InputAnalysis b = analyzer.analyze(instances.subList(0, 1)).inputs().getFirst();
    assertThat(a.model()).isEqualTo(b.model());
    assertThat(a.simulated()).isEqualTo(b.simulated());
  }

  @Test
  void analyzeWorkflows_readElsewhere_givesTheSameFiguresAsAnalyzingTheFiles() {
    List<Path> files = instances.subList(2, 4);
    Analyzer analyzer = Analyzer.builder().slots(3).build();
    List<TracedWorkflow> read = files.stream().map(TraceReaders::read).toList();
    Analysis fromFiles = analyzer.analyze(files);
    Analysis fromWorkflows = analyzer.analyzeWorkflows(read);
    for (int i = 0; i < files.size(); i++) {
      InputAnalysis a = fromFiles.inputs().get(i);
      InputAnalysis b = fromWorkflows.inputs().get(i);
      assertThat(b.input()).isSameAs(read.get(i));
      assertThat(b.model()).isEqualTo(a.model());
      assertThat(b.simulated()).isEqualTo(a.simulated());
      assertThat(b.tools()).isEqualTo(a.tools());
      assertThat(b.criticalPath()).isEqualTo(a.criticalPath());
      assertThat(b.lowerBound()).isEqualTo(a.lowerBound());
    }
  }

  @Test
  void tracedWorkflow_needsARun() {
    assertThatThrownBy(() -> TracedWorkflow.builder("x.json", InputFormat.WFFORMAT).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x.json: no runs");
  }

  @Test
  void listenerThatThrows_isIsolated_countedAndTheAnalysisCompletes() {
    Analysis analysis =
        Analyzer.builder()
            .listener(
                new AnalysisListener() {
                  @Override
                  public void progress(int done, int total, String what) {
                    throw new IllegalStateException("listener down");
                  }
                })
            .build()
            .analyze(instances.subList(0, 1));
    assertThat(analysis.inputs()).hasSize(1);
    // reading: shown, then a step; training: shown, then a step; a step after each of three
    // simulations
    assertThat(analysis.listenerFailures()).isEqualTo(7);
  }

  @Test
  void builder_validatesWhereTheValueEnters() {
    assertThatThrownBy(() -> Analyzer.builder().slots(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slots must be at least 1, was 0");
  }

  @Test
  void trainingOnOthers_needsTwoInputs() {
    Analyzer others = Analyzer.builder().trainingSplit(TrainingSplit.OTHERS).build();
    assertThatThrownBy(() -> others.analyze(instances.subList(0, 1)))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("at least two input files");
    assertThatThrownBy(() -> Analyzer.builder().build().analyze(List.of()))
        .isInstanceOf(AnalysisException.class)
        .hasMessage("no input files");
  }

  @Test
  void readers_detectTheFormat_andRefuseWhatTheyCannotRead() throws IOException {
    Path wf = instances.getFirst();
    assertThat(TraceReaders.detect(wf)).isSameAs(TraceReaders.wfFormat());
    assertThat(TraceReaders.of(InputFormat.WFFORMAT)).isSameAs(TraceReaders.wfFormat());
    assertThat(TraceReaders.wfFormat().read(wf).runs()).hasSize(1);
    assertThat(TraceReaders.read(wf).size()).isEqualTo(TraceReaders.wfFormat().read(wf).size());

    Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
    assertThatThrownBy(() -> TraceReaders.detect(array))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining(array + ": unknown format");
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> TraceReaders.read(missing))
        .isInstanceOf(AnalysisException.class)
        .hasMessage(missing + ": no such file");
    assertThatThrownBy(() -> TraceReaders.otlp().read(wf))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining(wf.toString());
  }
}
