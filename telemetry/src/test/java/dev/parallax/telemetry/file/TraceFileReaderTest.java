package dev.parallax.telemetry.file;

import static dev.parallax.telemetry.file.OtlpLines.attr;
import static dev.parallax.telemetry.file.OtlpLines.attributes;
import static dev.parallax.telemetry.file.OtlpLines.file;
import static dev.parallax.telemetry.file.OtlpLines.request;
import static dev.parallax.telemetry.file.OtlpLines.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.logging.otlp.internal.traces.OtlpStdoutSpanExporter;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceFileReaderTest {

  private static final String TOOL_OP = attr("gen_ai.operation.name", "execute_tool");

  @TempDir Path dir;

  private Path write(String content) throws Exception {
    Path path = dir.resolve("trace.jsonl");
    Files.writeString(path, content);
    return path;
  }

  // ---- files from other writers ----

  @ParameterizedTest(name = "wrapper object: {0}")
  @ValueSource(booleans = {true, false})
  void readsTheFileOfTheSdksOwnOtlpJsonExporter(boolean wrapperObject) throws Exception {
    Tool<String, String> lookup =
        Tools.named("lookup").input(String.class).function((in, ctx) -> "found " + in);
    Tool<String, String> failing =
        Tools.named("failing")
            .input(String.class)
            .function(
                (in, ctx) -> {
                  throw new IllegalArgumentException(in);
                });
    Path path = dir.resolve("stdout-exporter.jsonl");
    RunResult run;
    List<ExecutionRecord> expected;
    try (OutputStream out = Files.newOutputStream(path);
        TracingSdk otel =
            new TracingSdk(
                OtlpStdoutSpanExporter.builder()
                    .setOutput(out)
                    .setWrapperJsonObject(wrapperObject)
                    .build())) {
      Span caller = otel.sdk.getTracer("agent").spanBuilder("agent-turn").startSpan();
      Scope scope = caller.makeCurrent();
      try (ToolExecutor executor = ToolExecutor.builder().openTelemetry(otel.sdk).build()) {
        run =
            executor.executeParallel(
                List.of(
                    ToolCall.of("a", lookup, "x"),
                    ToolCall.of("b", lookup, "y"),
                    ToolCall.of("c", failing, "z")));
      } finally {
        scope.close();
        caller.end();
      }
      expected = otel.records();
    }

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.records()).hasSize(3).isEqualTo(expected);
    assertThat(file.records())
        .extracting(ExecutionRecord::callId, ExecutionRecord::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", CallStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("b", CallStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("c", CallStatus.FAILED));
    assertThat(file.counts().spans()).isEqualTo(5);
    assertThat(file.counts().skippedSpans()).as("caller and run spans").isEqualTo(2);
    TraceSpan root = file.graph().roots().getFirst();
    assertThat(file.graph().roots())
        .singleElement()
        .extracting(TraceSpan::name)
        .isEqualTo("agent-turn");
    TraceSpan runSpan = file.graph().children(root).getFirst();
    assertThat(runSpan.isRun()).isTrue();
    assertThat(file.graph().children(runSpan)).hasSize(3).allMatch(TraceSpan::isToolCall);
    assertThat(file.runs())
        .singleElement()
        .satisfies(r -> assertThat(r.runId()).isEqualTo(run.runId()));
  }

  @Test
  void otherWriters_bomCrlfSnakeCaseNamesUnknownFieldsNumbersAndEnumNames_areRead()
      throws Exception {
    String snakeCase =
        """
        {"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"%s","span_id":"00000000000000a1",\
        "name":"execute_tool search","kind":"SPAN_KIND_CLIENT","start_time_unix_nano":1000000000,\
        "end_time_unix_nano":1500000000,"status":{"code":"STATUS_CODE_ERROR"},\
        "some_future_field":{"x":[1,2]}}]}]}],"another_unknown":true}"""
            .formatted(OtlpLines.TRACE);
    Path path =
        write("\uFEFF" + snakeCase + "\r\n\r\n   \r\n" + snakeCase.replace("a1", "a2") + "\r\n");

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.counts().lines()).isEqualTo(2);
    assertThat(file.graph().spans())
        .allSatisfy(
            s -> {
              assertThat(s.kind()).isEqualTo(SpanKind.CLIENT);
              assertThat(s.statusCode()).isEqualTo(StatusCode.ERROR);
            });
    assertThat(file.records())
        .extracting(ExecutionRecord::tool, ExecutionRecord::status, ExecutionRecord::duration)
        .containsOnly(
            org.assertj.core.groups.Tuple.tuple(
                "search", CallStatus.FAILED, Duration.ofMillis(500)));
    assertThat(file.graph().spans()).extracting(TraceSpan::line).containsExactly(1, 4);
  }

  @Test
  void ids_hexInAnyCaseOrBase64_areRead_asLowercaseHex() throws Exception {
    String upper =
        span("00000000000000B1", "", "upper", "")
            .replace(OtlpLines.TRACE, OtlpLines.TRACE.toUpperCase());
    // protobuf's plain JSON mapping: base64 of the same 16 and 8 bytes
    String base64 =
        """
        {"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"AAAAAAAAALI=","name":"base64"}""";
    Path path = write(file(request(upper, base64)));

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.graph().spans())
        .extracting(TraceSpan::traceId, TraceSpan::spanId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(OtlpLines.TRACE, "00000000000000b1"),
            org.assertj.core.groups.Tuple.tuple(OtlpLines.TRACE, "00000000000000b2"));
  }

  // ---- bad input ----

  @Test
  void malformedLines_areReportedWithFileAndLine_andEveryOtherLineIsRead() throws Exception {
    String good1 = request(span("0000000000000001", "", "execute_tool one", attributes(TOOL_OP)));
    String good2 = request(span("0000000000000002", "", "execute_tool two", attributes(TOOL_OP)));
    Path path =
        write(
            file(
                good1,
                "this is not json",
                good2,
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":",
                "[1,2,3]",
                "{\"resourceLogs\":[]}",
                "{\"resourceSpans\":{\"oops\":1}}",
                "{\"resourceSpans\":[]} trailing",
                ""));

    TraceFile file = TraceFileReader.read(path);

    assertThat(file.records()).extracting(ExecutionRecord::tool).containsExactly("one", "two");
    assertThat(file.problems()).extracting(Problem::line).containsExactly(2, 4, 5, 6, 7, 8);
    assertThat(file.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(path));
    assertThat(file.problems().get(0).message()).startsWith("not JSON");
    assertThat(file.problems().get(1).message()).contains("end-of-input");
    assertThat(file.problems().get(2).message()).contains("not a JSON object");
    assertThat(file.problems().get(3).message())
        .contains("no resourceSpans")
        .contains("resourceLogs");
    assertThat(file.problems().get(4).message()).startsWith("not an OTLP trace request");
    assertThat(file.problems().get(5).message()).startsWith("not JSON");
    assertThat(file.problems().getFirst().toString()).startsWith(path + ":2: ");
    assertThat(file.counts().lines()).isEqualTo(8);
    assertThat(file.counts().malformedLines()).isEqualTo(6);

    assertThatThrownBy(() -> TraceFileReader.readStrict(path))
        .isInstanceOf(TraceFileException.class)
        .hasMessageContaining("6 problem(s) reading " + path)
        .hasMessageContaining(path + ":2: not JSON")
        .hasMessageContaining("... and 1 more")
        .satisfies(e -> assertThat(((TraceFileException) e).problems()).hasSize(6));
  }

  @Test
  void spansThatAreNotToolCalls_areKeptInTheGraph_andCountedAsSkipped() throws Exception {
    Path path =
        write(
            file(
                request(
                    span(
                        "0000000000000001",
                        "",
                        "GET /weather",
                        attributes(attr("http.method", "GET"))),
                    span(
                        "0000000000000002",
                        "0000000000000001",
                        "chat gpt-4o",
                        attributes(attr("gen_ai.operation.name", "chat"))),
                    span(
                        "0000000000000003",
                        "0000000000000001",
                        "execute_tool weather",
                        attributes(TOOL_OP)))));

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.records()).extracting(ExecutionRecord::tool).containsExactly("weather");
    assertThat(file.counts().spans()).isEqualTo(3);
    assertThat(file.counts().toolRecords()).isEqualTo(1);
    assertThat(file.counts().skippedSpans()).isEqualTo(2);
    assertThat(file.counts().unreadableToolSpans()).isZero();
    assertThat(file.graph().spans())
        .filteredOn(s -> !s.isToolCall())
        .extracting(TraceSpan::name)
        .containsExactly("GET /weather", "chat gpt-4o");
    assertThat(file.graph().children(file.graph().roots().getFirst())).hasSize(2);
  }

  @Test
  void toolSpansWithMissingAttributes_areReadWithDefaults_andCounted() throws Exception {
    Path path =
        write(
            file(
                request(
                    // another GenAI source: operation and tool name only
                    span(
                        "0000000000000001",
                        "",
                        "execute_tool weather",
                        attributes(TOOL_OP, attr("gen_ai.tool.name", "weather"))),
                    // only the span name says it is a tool call; it timed out
                    span(
                        "0000000000000002",
                        "",
                        "execute_tool search",
                        "\"status\":{\"code\":2}," + attributes(attr("error.type", "timeout"))),
                    // a status this version does not know
                    span(
                        "0000000000000003",
                        "",
                        "execute_tool db",
                        attributes(
                            TOOL_OP,
                            attr("gen_ai.tool.call.id", "call-9"),
                            attr("parallax.run.id", "run-1"),
                            attr("parallax.status", "EXPLODED"),
                            attr("parallax.attempts", 2),
                            attr("parallax.in_flight", 4))))));

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.records()).hasSize(3);
    ExecutionRecord weather = file.records().get(0);
    assertThat(weather.tool()).isEqualTo("weather");
    assertThat(weather.callId()).as("defaults to the span id").isEqualTo("0000000000000001");
    assertThat(weather.runId()).isEmpty();
    assertThat(weather.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(weather.attempts()).isOne();
    assertThat(weather.queueWait()).isZero();
    assertThat(weather.start()).isEqualTo(Instant.ofEpochSecond(1));
    assertThat(weather.duration()).isEqualTo(Duration.ofSeconds(2));
    ExecutionRecord search = file.records().get(1);
    assertThat(search.tool()).isEqualTo("search");
    assertThat(search.status()).isEqualTo(CallStatus.TIMED_OUT);
    ExecutionRecord db = file.records().get(2);
    assertThat(db.status())
        .as("unknown: read from the span status")
        .isEqualTo(CallStatus.SUCCEEDED);
    assertThat(db.callId()).isEqualTo("call-9");
    assertThat(db.attempts()).isEqualTo(2);

    ReadCounts counts = file.counts();
    assertThat(counts.toolRecords()).isEqualTo(3);
    assertThat(counts.defaultedSpans()).isEqualTo(3);
    assertThat(counts.defaultedFields())
        .containsEntry("gen_ai.tool.call.id", 2)
        .containsEntry("gen_ai.tool.name", 2)
        .containsEntry("parallax.status", 3)
        .containsEntry("parallax.attempts", 2)
        .containsEntry("parallax.queue_wait_ms", 3);
  }

  @Test
  void unknownEnumValues_readAsDefaults_andAreCounted() throws Exception {
    Path path =
        write(
            file(
                request(
                    span("0000000000000001", "", "kind 42", "")
                        .replace("\"kind\":1", "\"kind\":42"),
                    span("0000000000000002", "", "kind name", "")
                        .replace("\"kind\":1", "\"kind\":\"SPAN_KIND_TELEPATHIC\""),
                    span("0000000000000003", "", "status 7", "\"status\":{\"code\":7}"),
                    span(
                        "0000000000000004",
                        "",
                        "status name",
                        "\"status\":{\"code\":\"STATUS_CODE_MAYBE\",\"message\":\"hm\"}"),
                    span(
                            "0000000000000005",
                            "",
                            "known names",
                            "\"status\":{\"code\":\"STATUS_CODE_OK\"}")
                        .replace("\"kind\":1", "\"kind\":\"SPAN_KIND_PRODUCER\""),
                    span("0000000000000006", "", "number as text", "")
                        .replace("\"kind\":1", "\"kind\":\"4\""))));

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.graph().spans())
        .extracting(TraceSpan::name, TraceSpan::kind, TraceSpan::statusCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("kind 42", SpanKind.INTERNAL, StatusCode.UNSET),
            org.assertj.core.groups.Tuple.tuple("kind name", SpanKind.INTERNAL, StatusCode.UNSET),
            org.assertj.core.groups.Tuple.tuple("status 7", SpanKind.INTERNAL, StatusCode.UNSET),
            org.assertj.core.groups.Tuple.tuple("status name", SpanKind.INTERNAL, StatusCode.UNSET),
            org.assertj.core.groups.Tuple.tuple("known names", SpanKind.PRODUCER, StatusCode.OK),
            org.assertj.core.groups.Tuple.tuple(
                "number as text", SpanKind.PRODUCER, StatusCode.UNSET));
    assertThat(file.graph().spans().get(3).statusMessage()).isEqualTo("hm");
    assertThat(file.counts().defaultedSpans()).isEqualTo(4);
    assertThat(file.counts().defaultedFields())
        .containsOnly(java.util.Map.entry("kind", 2), java.util.Map.entry("status.code", 2));
  }

  @Test
  void unreadableIds_dropTheSpanOrLink_withAProblem_andTheRestOfTheLineIsRead() throws Exception {
    String link =
        "\"links\":[{\"traceId\":\"%s\",\"spanId\":\"not-an-id\"},{\"traceId\":\"%s\",\"spanId\":\"00000000000000c1\"}]"
            .formatted(OtlpLines.TRACE, OtlpLines.TRACE);
    Path path =
        write(
            file(
                request(
                    span("0000000000000001", "", "bad trace id", "")
                        .replace(OtlpLines.TRACE, "xyz"),
                    span("00000000000000zz", "", "bad span id", ""),
                    span("0000000000000003", "", "no span id", "")
                        .replace("\"spanId\":\"0000000000000003\",", ""),
                    span("0000000000000000", "", "zero span id", ""),
                    span("0000000000000005", "12345", "bad parent", ""),
                    span("0000000000000006", "0000000000000000", "zero parent", link))));

    TraceFile file = TraceFileReader.read(path);

    assertThat(file.graph().spans())
        .extracting(TraceSpan::name)
        .containsExactly("bad parent", "zero parent");
    assertThat(file.graph().spans()).allMatch(TraceSpan::isRoot);
    assertThat(file.graph().spans().get(1).links())
        .extracting(TraceSpan.Link::spanId)
        .containsExactly("00000000000000c1");
    assertThat(file.problems()).extracting(Problem::line).containsOnly(1);
    assertThat(file.problems())
        .extracting(Problem::message)
        .containsExactly(
            "span 'bad trace id': invalid traceId \"xyz\" (want 32 hex digits); span skipped",
            "span 'bad span id': invalid spanId \"00000000000000zz\" (want 16 hex digits); span skipped",
            "span 'no span id': no spanId; span skipped",
            "span 'zero span id': invalid spanId \"0000000000000000\" (all zero); span skipped",
            "span 'bad parent': invalid parentSpanId \"12345\"; read as a root span",
            "span 'zero parent': link invalid spanId \"not-an-id\" (want 16 hex digits); link skipped");
    assertThat(file.counts().droppedSpans()).isEqualTo(4);
    assertThat(file.counts().spans()).isEqualTo(2);
  }

  @Test
  void aSpanReadTwice_isKeptOnce_withAProblem() throws Exception {
    String line = request(span("0000000000000001", "", "execute_tool once", attributes(TOOL_OP)));
    Path path = write(file(line, line));

    TraceFile file = TraceFileReader.read(path);

    assertThat(file.records()).hasSize(1);
    assertThat(file.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(2);
              assertThat(p.message()).contains("already read on line 1");
            });
    assertThat(file.counts().droppedSpans()).isOne();
  }

  @Test
  void toolSpansThatCannotBeRecords_areSkipped_withAProblem() throws Exception {
    Path path =
        write(
            file(
                request(
                    span("0000000000000001", "", "execute_tool ", attributes(TOOL_OP)),
                    span("0000000000000002", "", "execute_tool backwards", attributes(TOOL_OP))
                        .replace(
                            "\"startTimeUnixNano\":\"1000000000\"",
                            "\"startTimeUnixNano\":\"9000000000\""))));

    TraceFile file = TraceFileReader.read(path);

    assertThat(file.records()).isEmpty();
    assertThat(file.counts().skippedSpans()).isEqualTo(2);
    assertThat(file.counts().unreadableToolSpans()).isEqualTo(2);
    assertThat(file.problems())
        .extracting(Problem::message)
        .containsExactly(
            "tool span skipped: tool span without a tool name: execute_tool ",
            "tool span skipped: span 0000000000000002 ends before it starts");
  }

  @Test
  void invalidUtf8_isReplaced_andTheLineStillRead() throws Exception {
    byte[] content =
        file(request(span("0000000000000001", "", "caf#", ""))).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '#') {
        content[i] = (byte) 0xE9; // latin-1 for é: not valid UTF-8 on its own
      }
    }
    Path path = dir.resolve("latin1.jsonl");
    Files.write(path, content);

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.graph().spans())
        .singleElement()
        .satisfies(s -> assertThat(s.name()).isEqualTo("caf\uFFFD"));
  }

  @Test
  void aMissingFile_failsNamingThePath() {
    Path missing = dir.resolve("nowhere.jsonl");
    assertThatThrownBy(() -> TraceFileReader.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("trace file not found: " + missing);
    assertThatThrownBy(() -> TraceFileReader.readStrict(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aDirectory_failsNamingThePath() {
    assertThatThrownBy(() -> TraceFileReader.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trace file is a directory: " + dir);
  }

  @Test
  void anEmptyFile_readsAsNothing() throws Exception {
    TraceFile file = TraceFileReader.readStrict(write(""));
    assertThat(file.records()).isEmpty();
    assertThat(file.graph().spans()).isEmpty();
    assertThat(file.runs()).isEmpty();
    assertThat(file.counts().lines()).isZero();
  }
}
