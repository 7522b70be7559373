package dev.parallax.samples.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Reads an input file in a given format, or in the format its content shows. Stateless. */
final class WorkflowInputs {

  private WorkflowInputs() {}

  /**
   * Reads {@code file}.
   *
   * @param format the format, or {@code null} to tell it from the first JSON value: an object with
   *     {@code workflow} is WfFormat, one with {@code resourceSpans} is OTLP-JSON
   * @throws BadInputException if the file cannot be read or analysed
   */
  static TracedWorkflow read(Path file, @Nullable InputFormat format) {
    if (format == InputFormat.OTLP) {
      return OtlpWorkflowReader.read(file);
    }
    JsonNode first = JsonFiles.firstValue(file);
    InputFormat actual = format != null ? format : JsonFiles.detect(file, first);
    return switch (actual) {
      case OTLP -> OtlpWorkflowReader.read(file);
      case WFFORMAT -> WfFormatReader.read(file, first);
    };
  }
}
