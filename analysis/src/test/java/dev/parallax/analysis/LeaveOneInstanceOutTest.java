package dev.parallax.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Leave-one-instance-out on committed real instances and on hand-built ones. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaveOneInstanceOutTest {

  /** Five repeated executions of the same SRA search (22 tasks each), committed. */
  static final Path SRASEARCH = Path.of("..", "examples", "workflows", "real", "srasearch");

  static List<Path> smallSraSearch() {
    return LeaveOneInstanceOut.instancesIn(SRASEARCH).stream()
        .filter(p -> p.getFileName().toString().contains("-10a-"))
        .toList();
  }

  @Test
  void evaluate_scoresEveryTaskOfEachHeldOutInstance_trainedOnAllTheOthers() {
    List<Path> files = smallSraSearch();
    assertThat(files).hasSize(5);
    List<String> steps = new ArrayList<>();
    LoioEvaluation e =
        LeaveOneInstanceOut.builder()
            .listener(
                new AnalysisListener() {
                  @Override
                  public void progress(int done, int total, String what) {
                    steps.add(done + "/" + total);
                  }
                })
            .build()
            .evaluate("srasearch", files);

    assertThat(e.application()).isEqualTo("srasearch");
    assertThat(e.slots()).isEqualTo(4);
    assertThat(e.features()).isEqualTo(FeatureSet.PRE_CALL);
    assertThat(e.instances()).hasSize(5);
    int total = files.stream().mapToInt(f -> TraceReaders.read(f).size()).sum();
    assertThat(e.rows()).isEqualTo(total);
    for (int i = 0; i < files.size(); i++) {
      HeldOutInstance h = e.instances().get(i);
      int size = TraceReaders.read(files.get(i)).size();
      assertThat(h.file()).isEqualTo(files.get(i).toString());
      assertThat(h.rows()).isEqualTo(size);
      assertThat(h.trainingTasks()).isEqualTo(total - size);
      assertThat(h.ratio()).isCloseTo(h.modelMae() / h.perToolMeanMae(), within(1e-12));
      assertThat(h.ratioLow()).isLessThanOrEqualTo(h.ratio());
      assertThat(h.ratioHigh()).isGreaterThanOrEqualTo(h.ratio());
      assertThat(h.worseBeyondInterval()).isEqualTo(h.ratioLow() > 1);
      assertThat(h.makespans().oracle()).isPositive();
      // no schedule, learned or oracle or FIFO, finishes before the lower bound
      assertThat(h.makespans().fifo()).isGreaterThanOrEqualTo(h.lowerBound());
      assertThat(h.makespans().learned()).isGreaterThanOrEqualTo(h.lowerBound());
      assertThat(h.makespans().oracle()).isGreaterThanOrEqualTo(h.lowerBound());
      assertThat(h.bestKnownMakespan()).isGreaterThanOrEqualTo(h.lowerBound());
      assertThat(h.lowerBound()).isGreaterThanOrEqualTo(h.criticalPath());
      assertThat(h.lowerBound()).isGreaterThanOrEqualTo(h.workPerSlot());
      assertThat(h.fifoOverLowerBound()).isGreaterThanOrEqualTo(1);
      assertThat(h.lowerBoundOverFifo()).isCloseTo(1 / h.fifoOverLowerBound(), within(1e-12));
      assertThat(h.makespanGoalAttainable(0.97)).isEqualTo(h.lowerBoundOverFifo() <= 0.97);
      assertThat(h.makespanRatio())
          .isCloseTo(
              (double) h.makespans().learned().toNanos() / h.makespans().fifo().toNanos(),
              within(1e-12));
    }
    assertThat(e.averageRatio())
        .isCloseTo(
            e.instances().stream().mapToDouble(HeldOutInstance::ratio).average().orElseThrow(),
            within(1e-12));
    assertThat(e.makespanGoalUnattainable(0.97))
        .isEqualTo((int) e.instances().stream().filter(h -> h.lowerBoundOverFifo() > 0.97).count());
    assertThat(e.makespanGoalUnattainable(0)).isEqualTo(e.instances().size());
    assertThat(e.lowerBoundOverFifo())
        .isCloseTo(
            e.instances().stream()
                .mapToDouble(HeldOutInstance::lowerBoundOverFifo)
                .average()
                .orElseThrow(),
            within(1e-12));
    assertThat(e.averageRatioLow()).isLessThanOrEqualTo(e.averageRatio());
    assertThat(e.averageRatioHigh()).isGreaterThanOrEqualTo(e.averageRatio());
    // two steps per instance, the last one reporting all done
    assertThat(steps).last().isEqualTo("10/10");
  }

  @Test
  void readmeDraftSnippet_makespanAgainstTheLowerBound() {
    // the Java block of docs-drafts/makespan.md
    List<String> lines = new ArrayList<>();
    // README:begin
    LoioEvaluation sra =
        LeaveOneInstanceOut.builder().build().evaluate("srasearch", smallSraSearch());
    for (HeldOutInstance h : sra.instances()) {
      // no schedule at 4 slots finishes before h.lowerBound(): where FIFO is within 3% of it,
      // 0.97 x FIFO is out of any scheduler's reach
      lines.add(
          "%s: FIFO %.3f x bound; learned %.3f, oracle %.3f, best known %.3f x FIFO; 0.97 reachable: %b"
              .formatted(
                  h.file(),
                  h.fifoOverLowerBound(),
                  h.makespanRatio(),
                  h.oracleMakespanRatio(),
                  h.bestKnownOverFifo(),
                  h.makespanGoalAttainable(0.97)));
    }
    // README:end
    assertThat(lines).hasSize(5).allMatch(l -> l.contains("0.97 reachable: "));
  }

  @Test
  void evaluate_isReproducible_forTheSameSeed() {
    List<Path> files = smallSraSearch().subList(0, 3);
    LeaveOneInstanceOut loio = LeaveOneInstanceOut.builder().seed(7).build();
    LoioEvaluation a = loio.evaluate("srasearch", files);
    LoioEvaluation b = loio.evaluate("srasearch", files);
    for (int i = 0; i < 3; i++) {
      HeldOutInstance x = a.instances().get(i);
      HeldOutInstance y = b.instances().get(i);
      assertThat(y.modelMae()).isEqualTo(x.modelMae());
      assertThat(y.perToolMeanMae()).isEqualTo(x.perToolMeanMae());
      assertThat(y.ratioLow()).isEqualTo(x.ratioLow());
      assertThat(y.ratioHigh()).isEqualTo(x.ratioHigh());
      assertThat(y.makespans()).isEqualTo(x.makespans());
    }
    assertThat(b.averageRatioLow()).isEqualTo(a.averageRatioLow());
  }

  @Test
  void perToolMean_isTheMeanLogLatencyOfTheOtherInstancesOnly() {
    // every task of A takes e^1 s, of B e^2 s, of C e^4 s (log seconds 1, 2, 4). Held out A: the
    // mean log of B and C is 3, error 2 on every task. Held out B: mean of A and C is 2.5, error
    // 0.5. Held out C: mean 1.5, error 2.5.
    List<TracedWorkflow> w =
        List.of(constant("a.json", 1.0), constant("b.json", 2.0), constant("c.json", 4.0));
    LoioEvaluation e = LeaveOneInstanceOut.builder().build().evaluateWorkflows("const", w);
    assertThat(e.instances().get(0).perToolMeanMae()).isCloseTo(2.0, within(1e-6));
    assertThat(e.instances().get(1).perToolMeanMae()).isCloseTo(0.5, within(1e-6));
    assertThat(e.instances().get(2).perToolMeanMae()).isCloseTo(2.5, within(1e-6));
    assertThat(e.perToolMeanMae()).isCloseTo(5.0 / 3, within(1e-6));
    assertThat(e.instances()).allSatisfy(h -> assertThat(h.rows()).isEqualTo(30));
  }

  @Test
  void postHocFeatures_areLeftOutByDefault_andUsedOnlyWhenAsked() {
    // latency is exactly written_bytes / 1 MB: a model that sees it learns the answer; before a
    // task starts nothing tells one task from another
    List<TracedWorkflow> w =
        List.of(leaky("a.json", 1), leaky("b.json", 2), leaky("c.json", 3), leaky("d.json", 4));
    LoioEvaluation preCall = LeaveOneInstanceOut.builder().build().evaluateWorkflows("leak", w);
    LoioEvaluation all =
        LeaveOneInstanceOut.builder().features(FeatureSet.ALL).build().evaluateWorkflows("leak", w);

    assertThat(all.features()).isEqualTo(FeatureSet.ALL);
    assertThat(all.averageRatio()).isLessThan(0.5);
    assertThat(preCall.averageRatio()).isGreaterThan(0.9);
    assertThat(FeatureSet.PRE_CALL.apply(w.get(0)).tasks())
        .allSatisfy(c -> assertThat(c.features()).doesNotContainKeys("written_bytes"));
    assertThat(FeatureSet.ALL.apply(w.get(0))).isSameAs(w.get(0));
  }

  @Test
  void analyzer_usesPreCallFeaturesByDefault_andSaysWhichItUsed() {
    assertThat(Analyzer.builder().build().toString()).contains("features=pre-call");
    Analysis analysis =
        Analyzer.builder()
            .build()
            .analyzeWorkflows(List.of(leaky("a.json", 1), leaky("b.json", 2)));
    assertThat(analysis.features()).isEqualTo(FeatureSet.PRE_CALL);
    Analysis withPostHoc =
        Analyzer.builder()
            .features(FeatureSet.ALL)
            .build()
            .analyzeWorkflows(List.of(leaky("a.json", 1), leaky("b.json", 2)));
    assertThat(withPostHoc.features()).isEqualTo(FeatureSet.ALL);
    assertThat(FeatureSet.ALL.description()).contains("POST-HOC").contains("written_bytes");
    assertThat(FeatureSet.PRE_CALL.description()).contains("only features known before");
  }

  @Test
  void realBlastInstance_hasPostHocFeatures_thatPreCallRemoves() {
    Path blast =
        Path.of("..", "examples", "workflows", "real", "blast", "blast-chameleon-small-001.json");
    TracedWorkflow read = TraceReaders.read(blast);
    SimulatedCall blastall =
        read.tasks().stream().filter(c -> c.tool().equals("blastall")).findFirst().orElseThrow();
    assertThat(blastall.features())
        .containsKeys("read_bytes", "written_bytes", "output_bytes", "input_bytes_min");
    SimulatedCall kept =
        FeatureSet.PRE_CALL.apply(read).tasks().stream()
            .filter(c -> c.id().equals(blastall.id()))
            .findFirst()
            .orElseThrow();
    assertThat(kept.features())
        .doesNotContainKeys("read_bytes", "written_bytes", "output_bytes")
        .containsKeys("input_bytes", "input_bytes_min", "input_bytes_max", "input_files");
  }

  /** The README's snippet (docs-drafts/realdata.md), run on the committed bwa instances. */
  @Test
  void readmeSnippet_evaluatesAnApplicationDirectory() {
    Path bwaDirectory = Path.of("..", "examples", "workflows", "real", "bwa");
    // --- snippet start
    LoioEvaluation bwa =
        LeaveOneInstanceOut.builder() // 4 slots, pre-call features, 95% intervals
            .build()
            .evaluate("bwa", LeaveOneInstanceOut.instancesIn(bwaDirectory));
    String line =
        String.format(
            java.util.Locale.ROOT,
            "%s: MAE(log) %.3f vs per-tool mean %.3f, ratio %.3f [%.3f, %.3f] on %d rows;"
                + " learned priority %.3f x FIFO",
            bwa.application(),
            bwa.modelMae(),
            bwa.perToolMeanMae(),
            bwa.averageRatio(),
            bwa.averageRatioLow(),
            bwa.averageRatioHigh(),
            bwa.rows(),
            bwa.makespanRatio());
    // --- snippet end
    assertThat(line).startsWith("bwa: MAE(log) ").contains("on 520 rows");
    assertThat(bwa.instances()).hasSize(5);
  }

  @Test
  void machineForTheReachOnly_withoutTheRule_isTheSameAsNoMachine() {
    // the model never learns from the machine unless asked: without the rule, reach-only is off
    List<Path> files = smallSraSearch().subList(0, 3);
    LoioEvaluation reachNoRule =
        LeaveOneInstanceOut.builder().unseenValueRule(false).build().evaluate("sra", files);
    LoioEvaluation off =
        LeaveOneInstanceOut.builder().machine(MachineFeature.OFF).build().evaluate("sra", files);
    for (int i = 0; i < 3; i++) {
      assertThat(reachNoRule.instances().get(i).modelMae())
          .isEqualTo(off.instances().get(i).modelMae());
      assertThat(reachNoRule.instances().get(i).makespans())
          .isEqualTo(off.instances().get(i).makespans());
    }
    assertThat(LeaveOneInstanceOut.builder().build().toString())
        .contains("machine=reach-only", "unseenValueRule=true");
  }

  /**
   * srasearch 10a-001 is the only 10a instance that ran on worker-4; trained on the others (all on
   * worker-2), every one of its tasks is on a machine its tool never ran on, so the tool's mean
   * answers all of them and the ratio is exactly 1. (This rule was designed after seeing this
   * instance worse than the mean; the test pins the mechanism, not a figure.)
   */
  @Test
  void sraSearch10a001_onAMachineNeverSeenInTraining_isAnsweredByTheMean() {
    for (MachineFeature machine : List.of(MachineFeature.REACH_ONLY, MachineFeature.MODEL_INPUT)) {
      LoioEvaluation e =
          LeaveOneInstanceOut.builder().machine(machine).build().evaluate("sra", smallSraSearch());
      HeldOutInstance first = e.instances().get(0);
      assertThat(first.file()).contains("10a-001");
      assertThat(first.answeredByModel()).isZero();
      assertThat(first.ratio()).isCloseTo(1.0, within(1e-9));
      assertThat(first.worseBeyondInterval()).isFalse();
    }
  }

  @Test
  void fewerThanTwoInstances_isRefused() {
    LeaveOneInstanceOut loio = LeaveOneInstanceOut.builder().build();
    assertThatThrownBy(() -> loio.evaluate("one", smallSraSearch().subList(0, 1)))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("at least two instances of one");
    assertThatThrownBy(() -> LeaveOneInstanceOut.instancesIn(SRASEARCH.resolve("none")))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> LeaveOneInstanceOut.builder().resamples(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 10");
  }

  /** 30 independent tasks of tool "t", each lasting e^logSeconds seconds. */
  private static TracedWorkflow constant(String file, double logSeconds) {
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      calls.add(
          new SimulatedCall(
              "t" + i,
              "t",
              Map.of(),
              List.of(),
              Duration.ofNanos(Math.round(Math.exp(logSeconds) * 1e9)),
              true));
    }
    return TracedWorkflow.builder(file, InputFormat.WFFORMAT)
        .runs(List.of(new Workload(file, calls)))
        .build();
  }

  /** 60 tasks of tool "t" lasting written_bytes / 1e6 seconds, written_bytes log-spread. */
  private static TracedWorkflow leaky(String file, int seed) {
    java.util.Random random = new java.util.Random(seed);
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double written = Math.exp(10 + 8 * random.nextDouble());
      calls.add(
          new SimulatedCall(
              "t" + i,
              "t",
              Map.of("written_bytes", written, "input_files", 1.0),
              List.of(),
              Duration.ofNanos(Math.round(written / 1e6 * 1e9)),
              true));
    }
    return TracedWorkflow.builder(file, InputFormat.WFFORMAT)
        .runs(List.of(new Workload(file, calls)))
        .build();
  }
}
