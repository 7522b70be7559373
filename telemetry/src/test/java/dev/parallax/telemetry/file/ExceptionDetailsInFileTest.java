package dev.parallax.telemetry.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exported trace file carries only what the span has: by default no stack trace, so a secret in
 * an exception's cause never reaches the file (issue 11, item 15).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExceptionDetailsInFileTest {

  private static final String PASSWORD = "hunter2-s3cr3t";

  @TempDir Path dir;

  private final Tool<String, String> connect =
      Tools.named("connect")
          .input(String.class)
          .function(
              (in, ctx) -> {
                throw new IllegalStateException(
                    "could not connect",
                    new SQLException("login failed: jdbc:pg://db?password=" + PASSWORD));
              });

  @Test
  void passwordInAStackTrace_neverReachesTheOtlpJsonFile() throws Exception {
    Path path = dir.resolve("run.jsonl");
    RunResult run;
    try (TracingSdk otel = new TracingSdk(OtlpJsonFileSpanExporter.create(path));
        ToolExecutor executor =
            ToolExecutor.builder().openTelemetry(otel.sdk).recordPayloadsOnSpans(false).build()) {
      run = executor.executeParallel(List.of(ToolCall.of("c1", connect, "db")));
    }
    assertThat(run.get("c1").status()).isEqualTo(CallStatus.FAILED);

    String text = Files.readString(path);
    assertThat(text).contains("could not connect").contains("IllegalStateException");
    assertThat(text).doesNotContain(PASSWORD).doesNotContain("exception.stacktrace");

    List<ExecutionRecord> records = TraceFileReader.readStrict(path).records();
    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(CallStatus.FAILED);
              assertThat(r.errorType()).isEqualTo(IllegalStateException.class.getName());
              assertThat(r.toString()).doesNotContain(PASSWORD);
            });
  }
}
