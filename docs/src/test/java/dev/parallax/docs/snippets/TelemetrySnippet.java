package dev.parallax.docs.snippets;

import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.telemetry.ParallaxTelemetry;
import dev.parallax.telemetry.ParallaxTelemetry.OtlpProtocol;
import dev.parallax.telemetry.file.OtlpJsonFileSpanExporter;
import dev.parallax.telemetry.file.TraceFile;
import dev.parallax.telemetry.file.TraceFileReader;
import java.nio.file.Path;

/** The README's telemetry snippet (compiled only: it exports to a collector on localhost). */
public class TelemetrySnippet extends Fixtures {

  void otlp() throws Exception {
    // README:begin
    try (ParallaxTelemetry telemetry =
            ParallaxTelemetry.otlp("http://localhost:4318", OtlpProtocol.HTTP_PROTOBUF);
        ToolExecutor executor = telemetry.instrument(ToolExecutor.builder()).build()) {
      telemetry.subscribe(record -> System.out.println(record.tool() + " " + record.duration()));
      executor.executeGraph(graph);
    }
    // Trace files in OTLP-JSON (one export request per line, as the Collector's file exporter
    // writes), from Parallax or any OpenTelemetry source:
    ParallaxTelemetry.builder()
        .spanExporter(OtlpJsonFileSpanExporter.create(Path.of("trace.jsonl")));
    TraceFile file = TraceFileReader.read(Path.of("trace.jsonl")); // records, span graph, runs
    // README:end
    file.records();
  }
}
