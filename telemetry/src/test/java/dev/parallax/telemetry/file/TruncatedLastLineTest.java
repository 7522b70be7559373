package dev.parallax.telemetry.file;

import static dev.parallax.telemetry.file.OtlpLines.attr;
import static dev.parallax.telemetry.file.OtlpLines.attributes;
import static dev.parallax.telemetry.file.OtlpLines.request;
import static dev.parallax.telemetry.file.OtlpLines.span;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer that crashes mid-line leaves a last line cut short: it is skipped with a warning and
 * counted, the rest of the file is read (issue 11, item 16). The same cut anywhere else is still a
 * malformed line naming the file and line.
 */
class TruncatedLastLineTest {

  @TempDir Path dir;

  private static final String CALL_A =
      request(
          span(
              "00000000000000a1",
              "",
              "execute_tool lookup",
              attributes(
                  attr("gen_ai.operation.name", "execute_tool"),
                  attr("gen_ai.tool.name", "lookup"),
                  attr("gen_ai.tool.call.id", "a"))));
  private static final String CALL_B =
      request(
          span(
              "00000000000000b2",
              "",
              "execute_tool lookup",
              attributes(
                  attr("gen_ai.operation.name", "execute_tool"),
                  attr("gen_ai.tool.name", "lookup"),
                  attr("gen_ai.tool.call.id", "b"))));

  private Path write(String content) throws Exception {
    Path path = dir.resolve("trace.jsonl");
    Files.writeString(path, content);
    return path;
  }

  @Test
  void truncatedLastLine_ofACrashedWriter_isSkippedAndReported_notAnError() throws Exception {
    // the bug: one truncated last line made analyze reject the whole file
    Path path = write(CALL_A + "\n" + CALL_B.substring(0, CALL_B.length() / 2));

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.records()).extracting(r -> r.callId()).containsExactly("a");
    assertThat(file.problems()).isEmpty();
    assertThat(file.counts().truncatedLines()).isOne();
    assertThat(file.counts().malformedLines()).isZero();
    assertThat(file.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.line()).isEqualTo(2);
              assertThat(w.file()).isEqualTo(path);
              assertThat(w.message()).contains("cut short");
            });
  }

  @Test
  void truncatedLineInTheMiddle_isStillAMalformedLine_namingFileAndLine() throws Exception {
    Path path = write(CALL_A.substring(0, 40) + "\n" + CALL_B + "\n");

    TraceFile file = TraceFileReader.read(path);

    assertThat(file.counts().truncatedLines()).isZero();
    assertThat(file.counts().malformedLines()).isOne();
    assertThat(file.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.toString()).startsWith(path + ":1: not JSON"));
    assertThat(file.records()).extracting(r -> r.callId()).containsExactly("b");
  }

  @Test
  void cutLastLine_endedByALineBreak_isAMalformedLine() throws Exception {
    // a line break after it means the writer finished the line: this is not a crash's leftover
    Path path = write(CALL_A + "\n" + CALL_B.substring(0, 60) + "\n");

    TraceFile file = TraceFileReader.read(path);

    assertThat(file.counts().truncatedLines()).isZero();
    assertThat(file.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(2));
  }

  @Test
  void garbageLastLine_withoutALineBreak_isAMalformedLine() throws Exception {
    Path path = write(CALL_A + "\nthis is not json");

    TraceFile file = TraceFileReader.read(path);

    assertThat(file.counts().truncatedLines()).isZero();
    assertThat(file.counts().malformedLines()).isOne();
  }

  @Test
  void completeLastLine_withoutALineBreak_isRead() throws Exception {
    Path path = write(CALL_A + "\n" + CALL_B);

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.records()).hasSize(2);
    assertThat(file.warnings()).isEmpty();
  }
}
