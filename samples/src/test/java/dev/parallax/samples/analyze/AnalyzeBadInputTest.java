package dev.parallax.samples.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input ends with exit status 2 and one line on standard error that names the
 * file and the problem, and no stack trace unless {@code --verbose}.
 */
class AnalyzeBadInputTest {

  @TempDir Path dir;

  private Path good() {
    return Instances.write(
        dir, "good.json", Instances.wf15(row("a", "fetch", 1.0), row("b", "parse", 2.0, "a")));
  }

  private static Object[] row(String id, String program, Double runtime, String... parents) {
    Object[] row = new Object[3 + parents.length];
    row[0] = id;
    row[1] = program;
    row[2] = runtime;
    System.arraycopy(parents, 0, row, 3, parents.length);
    return row;
  }

  private static void assertOneLine(Cli r, String... fragments) {
    assertThat(r.status()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("parallax analyze: ").contains(fragments);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void missingFile_namesTheFile() {
    Path missing = dir.resolve("nope.json");
    assertOneLine(Cli.run("analyze", missing.toString()), missing.toString(), "no such file");
  }

  @Test
  void missingFile_amongGoodOnes_failsBeforeAnyWork() {
    Path missing = dir.resolve("nope.json");
    assertOneLine(
        Cli.run("analyze", good().toString(), missing.toString()), "nope.json", "no such file");
  }

  @Test
  void directory_isNotAFile() {
    assertOneLine(Cli.run("analyze", dir.toString()), "is a directory");
  }

  @Test
  void malformedJson_saysWhere() {
    Path bad = Instances.write(dir, "bad.json", "{\"workflow\": {\"specification\": [1, 2,,]}}");
    assertOneLine(Cli.run("analyze", bad.toString()), "bad.json", "malformed JSON at line 1");
  }

  @Test
  void malformedJson_withAnExplicitFormat() {
    Path bad = Instances.write(dir, "bad.json", "{\"workflow\": ");
    assertOneLine(
        Cli.run("analyze", "--format", "wfformat", bad.toString()), "bad.json", "malformed JSON");
  }

  @Test
  void malformedOtlpLine_namesFileAndLine() {
    Path bad =
        Instances.write(dir, "trace.jsonl", "{\"resourceSpans\": []}\n{\"resourceSpans\": [\n");
    assertOneLine(Cli.run("analyze", bad.toString()), "trace.jsonl:2:");
  }

  @Test
  void emptyFile_isNotJson() {
    Path empty = Instances.write(dir, "empty.json", "");
    assertOneLine(Cli.run("analyze", empty.toString()), "empty.json", "empty file");
  }

  @Test
  void unknownFormat_detected_saysWhatWasExpected() {
    Path other = Instances.write(dir, "other.json", "{\"hello\": \"world\"}");
    assertOneLine(Cli.run("analyze", other.toString()), "other.json", "unknown format", "--format");
  }

  @Test
  void unknownFormat_jsonArray() {
    Path other = Instances.write(dir, "array.json", "[1, 2, 3]");
    assertOneLine(Cli.run("analyze", other.toString()), "unknown format");
  }

  @Test
  void unknownFormat_option_listsTheKnownOnes() {
    assertOneLine(
        Cli.run("analyze", "--format", "csv", good().toString()),
        "unknown format 'csv'",
        "otlp, wfformat");
  }

  @Test
  void wrongExplicitFormat_otlpOnAWorkflow() {
    assertOneLine(Cli.run("analyze", "--format", "otlp", good().toString()), "good.json");
  }

  @Test
  void otlpFileWithoutToolCalls() {
    Path trace = Instances.write(dir, "trace.jsonl", "{\"resourceSpans\": []}\n");
    assertOneLine(Cli.run("analyze", trace.toString()), "trace.jsonl", "no tool-call spans");
  }

  @Test
  void cycle_isNamed() {
    Path cyclic =
        Instances.write(
            dir,
            "cyclic.json",
            Instances.wf15(
                row("start", "fetch", 1.0),
                row("a", "parse", 1.0, "start", "c"),
                row("b", "parse", 1.0, "a"),
                row("c", "parse", 1.0, "b")));
    Cli r = Cli.run("analyze", cyclic.toString());
    assertOneLine(r, "cyclic.json", "cycle");
    assertThat(r.err()).containsAnyOf("a -> b -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c");
  }

  @Test
  void taskWithoutRuntime_isNamed() {
    Path noRuntime =
        Instances.write(
            dir,
            "noruntime.json",
            Instances.wf15(row("a", "fetch", 1.0), row("b_without", "parse", null, "a")));
    assertOneLine(
        Cli.run("analyze", noRuntime.toString()),
        "noruntime.json",
        "task b_without has no runtime",
        "runtimeInSeconds is missing");
  }

  @Test
  void taskWithoutExecutionEntry_isNamed() {
    var instance = Instances.wf15(row("a", "fetch", 1.0), row("b", "parse", 1.0, "a"));
    ((com.fasterxml.jackson.databind.node.ArrayNode)
            instance.path("workflow").path("execution").path("tasks"))
        .remove(1);
    Path file = Instances.write(dir, "partial.json", instance);
    assertOneLine(
        Cli.run("analyze", file.toString()),
        "task b has no runtime",
        "not in workflow.execution.tasks");
  }

  @Test
  void negativeRuntime_isNamed() {
    Path file = Instances.write(dir, "negative.json", Instances.wf15(row("a", "fetch", -1.0)));
    assertOneLine(Cli.run("analyze", file.toString()), "task a has an invalid runtime");
  }

  @Test
  void unknownParent_isNamed() {
    Path file =
        Instances.write(dir, "orphan.json", Instances.wf15(row("a", "fetch", 1.0, "ghost")));
    assertOneLine(Cli.run("analyze", file.toString()), "a depends on ghost");
  }

  @Test
  void concurrencyZero_isRefused() {
    assertOneLine(
        Cli.run("analyze", "--concurrency", "0", good().toString()),
        "--concurrency must be at least 1, was 0");
  }

  @Test
  void trainOnOthers_needsTwoFiles() {
    assertOneLine(
        Cli.run("analyze", "--train-on", "others", good().toString()), "at least two input files");
  }

  @Test
  void unknownTrainingSplit_isRefused() {
    assertOneLine(
        Cli.run("analyze", "--train-on", "all", good().toString()), "unknown value 'all'");
  }

  @Test
  void jsonIntoAMissingDirectory_failsBeforeTheWork() {
    Path target = dir.resolve("no/such/dir/out.json");
    assertOneLine(
        Cli.run("analyze", "--json", target.toString(), good().toString()),
        "cannot write --json",
        "does not exist");
  }

  @Test
  void verbose_addsTheStackTrace() {
    Path missing = dir.resolve("nope.json");
    Cli r = Cli.run("analyze", "--verbose", missing.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.errLines()[0]).startsWith("parallax analyze: ").contains("no such file");
    assertThat(r.err()).contains("AnalysisException").contains("\tat ");
  }
}
