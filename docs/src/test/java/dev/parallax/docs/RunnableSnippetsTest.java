package dev.parallax.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.Parallax;
import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.docs.snippets.ChooseByPredictionSnippet;
import dev.parallax.docs.snippets.FacadeSnippet;
import dev.parallax.docs.snippets.FallbacksSnippet;
import dev.parallax.docs.snippets.HedgingSnippet;
import dev.parallax.docs.snippets.LeaveOneInstanceOutSnippet;
import dev.parallax.docs.snippets.PreloadRecordsSnippet;
import dev.parallax.docs.snippets.PreloadSessionsSnippet;
import dev.parallax.docs.snippets.PreloadingSnippet;
import dev.parallax.docs.snippets.QuickStart;
import dev.parallax.docs.snippets.RecordSinkSnippet;
import dev.parallax.docs.snippets.SessionBaggageSnippet;
import dev.parallax.docs.snippets.SharedSchedulerSnippet;
import dev.parallax.docs.snippets.SimulationSnippet;
import dev.parallax.docs.snippets.ToolPoliciesSnippet;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's snippets that need nothing outside this JVM do what the README says. */
@Timeout(60)
class RunnableSnippetsTest {

  @Test
  void quickStartRunsTheGraphAfterBothFetches() {
    RunResult graph = new QuickStart().run();
    assertThat(graph.allSucceeded()).isTrue();
    String pages = "the page at https://example.org/a\nthe page at https://example.org/b";
    assertThat(graph.get("summary").value()).isEqualTo(pages.length() + " chars");
  }

  @Test
  void recordSinkReceivesARecordPerCall() {
    RecordSinkSnippet snippet = new RecordSinkSnippet();
    try (ToolExecutor executor = snippet.build()) {
      executor.executeGraph(snippet.graphForTest());
    }
    assertThat(snippet.historyForTest()).hasSize(2);
  }

  @Test
  void toolPoliciesBuild() {
    try (ToolExecutor executor = new ToolPoliciesSnippet().build()) {
      assertThat(executor.activeRuns()).isZero();
    }
  }

  @Test
  void facadeRunsWithHistoryOnDisk(@TempDir Path directory) {
    RunResult run = new FacadeSnippet().run(directory);
    assertThat(run.results()).allMatch(r -> r.status() == CallStatus.SUCCEEDED);
    assertThat(directory.resolve("history")).isDirectory();
  }

  @Test
  void fallbacksAndCacheBuild() {
    try (Parallax parallax = new FallbacksSnippet().build()) {
      assertThat(parallax.executor()).isNotNull();
    }
  }

  @Test
  void anInteractiveTurnAndABatchShareOneScheduler() {
    List<String> queries = IntStream.range(0, 200).mapToObj(i -> "report " + i).toList();
    var result = new SharedSchedulerSnippet().run(queries);
    List<RunResult> runs = result.getValue();
    assertThat(runs.get(0).get("q1").value()).isEqualTo("rows of orders today");
    assertThat(runs.get(1).allSucceeded()).isTrue();
    assertThat(runs.get(1).results()).hasSize(200);
    assertThat(result.getKey().stats().resourcePeaks().get("db")).isBetween(1, 4);
    assertThat(result.getKey().stats().overAllocations()).isZero();
  }

  @Test
  void leaveOneInstanceOutOnTheCommittedBwaExecutions() {
    String line =
        new LeaveOneInstanceOutSnippet()
            .run(Path.of("").toAbsolutePath().getParent().resolve("examples/workflows/real/bwa"));
    assertThat(line).startsWith("bwa: MAE(log) ").contains(" rows; learned ");
  }

  @Test
  void choosingByPredictionBuildsOnTheFacadesPredictor() {
    try (AdaptivePredictor predictor = AdaptivePredictor.builder().build();
        Parallax parallax = new ChooseByPredictionSnippet().build(predictor)) {
      assertThat(parallax.executor()).isNotNull();
    }
  }

  @Test
  void hedgingLeavesAFastCallAlone() {
    HedgingSnippet snippet = new HedgingSnippet();
    try (Parallax parallax = snippet.build()) {
      assertThat(snippet.search(parallax, "otel").allSucceeded()).isTrue();
      assertThat(parallax.executor().hedgesStarted()).isZero(); // no prediction yet: no hedge
    }
  }

  @Test
  void thePredictedReservationIsPreloaded_soTheAgentsCallIsAHit() {
    assertThat(new PreloadingSnippet().run()).isTrue();
  }

  @Test
  void aConversationsTurnsShareOnePreloadContext_andTheModelIsTheGivenOne() {
    var stats = new PreloadSessionsSnippet().run();
    assertThat(stats.hits()).isEqualTo(1);
    assertThat(stats.modelVersion()).isZero();
  }

  @Test
  void theRecordOfTheCallAnsweredByThePreload_isMarked() {
    assertThat(new PreloadRecordsSnippet().run()).containsExactly("2");
  }

  @Test
  void sessionBaggageSnippetRunsTheTurnUnderTheConversation() {
    RunResult turn = new SessionBaggageSnippet().run("conversation-42");
    assertThat(turn.results().get(0).value()).isEqualTo("conversation-42");
  }

  @Test
  void theOracleComesCloseToTheLowerBound() {
    assertThat(new SimulationSnippet().run(7)).isBetween(1.0, 2.0);
  }
}
