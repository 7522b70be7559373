package dev.parallax.analysis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.analysis.AnalysisException;
import dev.parallax.analysis.InputFormat;
import dev.parallax.analysis.TracedWorkflow;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Reads an input file in a given format, or in the format its content shows. Stateless. Internal;
 * may change at any time.
 */
public final class WorkflowInputs {

  private static final String TELEMETRY_READER = "dev.parallax.telemetry.file.TraceFileReader";

  private WorkflowInputs() {}

  /**
   * Reads {@code file}.
   *
   * @param format the format, or {@code null} to tell it from the first JSON value: an object with
   *     {@code workflow} is WfFormat, one with {@code resourceSpans} is OTLP-JSON
   * @throws AnalysisException if the file cannot be read or analysed
   */
  public static TracedWorkflow read(Path file, @Nullable InputFormat format) {
    if (format == InputFormat.OTLP) {
      return readOtlp(file);
    }
    JsonNode first = JsonFiles.firstValue(file);
    InputFormat actual = format != null ? format : JsonFiles.detect(file, first);
    return switch (actual) {
      case OTLP -> readOtlp(file);
      case WFFORMAT -> WfFormatReader.read(file, first);
    };
  }

  /**
   * The format of {@code file}, told from its first JSON value.
   *
   * @throws AnalysisException if the file cannot be read or has neither shape
   */
  public static InputFormat detect(Path file) {
    return JsonFiles.detect(file, JsonFiles.firstValue(file));
  }

  /** Reads OTLP-JSON through telemetry's trace file reader, an optional dependency. */
  private static TracedWorkflow readOtlp(Path file) {
    if (!telemetryPresent()) {
      throw new AnalysisException(
          file
              + ": reading OTLP-JSON trace files needs parallax-telemetry (module"
              + " dev.parallax.telemetry), which is not on the class or module path");
    }
    return OtlpWorkflowReader.read(file);
  }

  private static boolean telemetryPresent() {
    try {
      Class<?> reader =
          Class.forName(TELEMETRY_READER, false, WorkflowInputs.class.getClassLoader());
      Module ours = WorkflowInputs.class.getModule();
      return !ours.isNamed() || ours.canRead(reader.getModule());
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
