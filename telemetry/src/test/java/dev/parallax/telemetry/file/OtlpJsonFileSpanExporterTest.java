package dev.parallax.telemetry.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.logging.otlp.internal.traces.OtlpStdoutSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpJsonFileSpanExporterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void export_writesTheSameOtlpJsonAsTheSdksOwnWriter_oneRequestPerLine() throws Exception {
    Path ours = dir.resolve("ours.jsonl");
    Path sdks = dir.resolve("sdk.jsonl");
    try (OutputStream out = Files.newOutputStream(sdks);
        TracingSdk otel =
            new TracingSdk(
                OtlpJsonFileSpanExporter.create(ours),
                OtlpStdoutSpanExporter.builder()
                    .setOutput(out)
                    .setWrapperJsonObject(true)
                    .build())) {
      SampleSpans.emit(otel.sdk);
    }

    List<String> ourLines = Files.readAllLines(ours);
    List<String> sdkLines = Files.readAllLines(sdks);
    assertThat(ourLines).hasSize(2).hasSameSizeAs(sdkLines);
    for (int i = 0; i < ourLines.size(); i++) {
      // the SDK also writes empty lists ("attributes":[]), which protobuf leaves out
      assertThat(withoutEmptyArrays(JSON.readTree(ourLines.get(i))))
          .isEqualTo(withoutEmptyArrays(JSON.readTree(sdkLines.get(i))));
    }
    String server = ourLines.get(1);
    assertThat(server)
        .as("hex ids, integer enums, lowerCamelCase names")
        .contains("\"traceId\":\"0af7651916cd43dd8448eb211c80319c\"")
        .contains("\"parentSpanId\":\"b7ad6b7169203331\"")
        .contains("\"spanId\":\"00f067aa0ba902b7\"")
        .contains("\"kind\":2")
        .contains("\"code\":2")
        .contains("\"startTimeUnixNano\":\"")
        .doesNotContain("trace_id")
        .doesNotContain("SPAN_KIND");
  }

  @Test
  void export_everyFieldReadsBackAsTheSdkMadeIt() {
    Path path = dir.resolve("spans.jsonl");
    List<SpanData> made;
    try (TracingSdk otel = new TracingSdk(OtlpJsonFileSpanExporter.create(path))) {
      SampleSpans.emit(otel.sdk);
      made = otel.spans();
    }

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.graph().spans()).hasSameSizeAs(made);
    for (int i = 0; i < made.size(); i++) {
      SpanData expected = made.get(i);
      TraceSpan read = file.graph().spans().get(i);
      assertThat(read.traceId()).isEqualTo(expected.getTraceId());
      assertThat(read.spanId()).isEqualTo(expected.getSpanId());
      assertThat(read.parentSpanId()).isEqualTo(expected.getParentSpanId());
      assertThat(read.name()).isEqualTo(expected.getName());
      assertThat(read.kind()).isEqualTo(expected.getKind());
      assertThat(read.startEpochNanos()).isEqualTo(expected.getStartEpochNanos());
      assertThat(read.endEpochNanos()).isEqualTo(expected.getEndEpochNanos());
      assertThat(read.statusCode()).isEqualTo(expected.getStatus().getStatusCode());
      assertThat(read.statusMessage()).isEqualTo(expected.getStatus().getDescription());
      // compared as maps: the SDK's Attributes implementation differs from the builder's
      assertThat(read.attributes().asMap()).isEqualTo(expected.getAttributes().asMap());
      assertThat(read.events())
          .containsExactlyElementsOf(
              expected.getEvents().stream()
                  .map(e -> new TraceSpan.Event(e.getName(), e.getEpochNanos(), e.getAttributes()))
                  .toList());
      assertThat(read.links())
          .containsExactlyElementsOf(
              expected.getLinks().stream()
                  .map(
                      l ->
                          new TraceSpan.Link(
                              l.getSpanContext().getTraceId(),
                              l.getSpanContext().getSpanId(),
                              l.getAttributes()))
                  .toList());
      assertThat(read.resource().asMap()).isEqualTo(expected.getResource().getAttributes().asMap());
      assertThat(read.scopeName()).isEqualTo(expected.getInstrumentationScopeInfo().getName());
      assertThat(read.line()).isEqualTo(i + 1);
    }
    assertThat(file.graph().spans().get(1).attributes()).isEqualTo(SampleSpans.EVERY_TYPE);
  }

  @Test
  void export_ofNothing_writesNothing() throws Exception {
    Path path = dir.resolve("empty.jsonl");
    try (OtlpJsonFileSpanExporter exporter = OtlpJsonFileSpanExporter.create(path)) {
      assertThat(exporter.export(List.of()).isSuccess()).isTrue();
    }
    assertThat(Files.size(path)).isZero();
  }

  @Test
  void concurrentExports_areWrittenWholeAndOneAfterAnother_noneLost() throws Exception {
    int threads = 8;
    int exportsPerThread = 100;
    int spansPerExport = 3;
    List<SpanData> spans;
    try (TracingSdk otel = new TracingSdk()) {
      Tracer tracer = otel.sdk.getTracer("stress");
      for (int i = 0; i < threads * exportsPerThread * spansPerExport; i++) {
        tracer.spanBuilder("span-" + i).setAttribute("i", i).startSpan().end();
      }
      spans = otel.spans();
    }
    Path path = dir.resolve("concurrent.jsonl");
    CountDownLatch go = new CountDownLatch(1);
    try (OtlpJsonFileSpanExporter exporter = OtlpJsonFileSpanExporter.create(path);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  int ok = 0;
                  for (int i = 0; i < exportsPerThread; i++) {
                    int from = (thread * exportsPerThread + i) * spansPerExport;
                    if (exporter.export(spans.subList(from, from + spansPerExport)).isSuccess()) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      go.countDown();
      for (Future<Integer> f : done) {
        assertThat(f.get()).isEqualTo(exportsPerThread);
      }
    }

    TraceFile file = TraceFileReader.readStrict(path);
    assertThat(file.counts().lines()).isEqualTo(threads * exportsPerThread);
    assertThat(file.graph().spans())
        .extracting(TraceSpan::spanId)
        .containsExactlyInAnyOrderElementsOf(spans.stream().map(SpanData::getSpanId).toList());
  }

  @Test
  void shutdown_closesTheFile_laterExportsFail_andWhatWasExportedStays() throws Exception {
    Path path = dir.resolve("shutdown.jsonl");
    OtlpJsonFileSpanExporter exporter = OtlpJsonFileSpanExporter.create(path);
    List<SpanData> spans;
    try (TracingSdk otel = new TracingSdk()) {
      otel.sdk.getTracer("t").spanBuilder("one").startSpan().end();
      spans = otel.spans();
    }
    assertThat(exporter.export(spans).isSuccess()).isTrue();
    assertThat(exporter.flush().isSuccess()).isTrue();
    assertThat(exporter.shutdown().isSuccess()).isTrue();
    assertThat(exporter.shutdown().isSuccess()).as("again: nothing to do").isTrue();

    assertThat(exporter.export(spans).isSuccess()).isFalse();
    assertThat(Files.readAllLines(path)).hasSize(1);
    assertThat(TraceFileReader.readStrict(path).graph().spans())
        .extracting(TraceSpan::name)
        .containsExactly("one");
  }

  @Test
  void batchSpanProcessor_shutdown_leavesEveryEndedSpanInTheFile() {
    Path path = dir.resolve("batch.jsonl");
    int spans = 1_000;
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(
                        BatchSpanProcessor.builder(OtlpJsonFileSpanExporter.create(path))
                            .setMaxExportBatchSize(64)
                            .build())
                    .build())
            .build();
    Tracer tracer = sdk.getTracer("batch");
    for (int i = 0; i < spans; i++) {
      tracer.spanBuilder("span-" + i).startSpan().end();
    }
    sdk.close();

    TraceFile file = TraceFileReader.readStrict(path);
    assertThat(file.counts().spans()).isEqualTo(spans);
    assertThat(file.counts().lines()).isGreaterThanOrEqualTo(spans / 64);
  }

  @Test
  void create_appendsToAnExistingFile_andEndsAnUnfinishedLastLineFirst() throws Exception {
    Path path = dir.resolve("existing.jsonl");
    Files.writeString(path, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01");
    try (TracingSdk otel = new TracingSdk(OtlpJsonFileSpanExporter.create(path))) {
      otel.sdk.getTracer("t").spanBuilder("after the crash").startSpan().end();
    }

    TraceFile file = TraceFileReader.read(path);
    assertThat(file.problems()).singleElement().satisfies(p -> assertThat(p.line()).isOne());
    assertThat(file.graph().spans())
        .singleElement()
        .satisfies(s -> assertThat(s.name()).isEqualTo("after the crash"));
    assertThat(file.graph().spans().getFirst().line()).isEqualTo(2);
  }

  @Test
  void create_inAMissingDirectory_failsNamingThePath() {
    Path path = dir.resolve("no-such-dir").resolve("trace.jsonl");
    assertThatThrownBy(() -> OtlpJsonFileSpanExporter.create(path))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(path.toString());
  }

  @Test
  void lines_areUtf8_andOneLineEachEvenWithLineBreaksInValues() throws Exception {
    Path path = dir.resolve("utf8.jsonl");
    try (TracingSdk otel = new TracingSdk(OtlpJsonFileSpanExporter.create(path))) {
      SampleSpans.emit(otel.sdk);
    }
    String text = Files.readString(path, StandardCharsets.UTF_8);
    assertThat(text).contains("ünïcödé ✓").endsWith("\n");
    assertThat(text.lines()).hasSize(2);
  }

  /** The tree without fields whose value is an empty array, recursively. */
  private static JsonNode withoutEmptyArrays(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        JsonNode value = object.get(name);
        if (value instanceof ArrayNode array && array.isEmpty()) {
          names.remove();
        } else {
          withoutEmptyArrays(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(OtlpJsonFileSpanExporterTest::withoutEmptyArrays);
    }
    return node;
  }
}
