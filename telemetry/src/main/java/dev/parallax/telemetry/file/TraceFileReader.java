package dev.parallax.telemetry.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads trace files in OTLP/JSON, one {@code ExportTraceServiceRequest} per line: files written by
 * {@link OtlpJsonFileSpanExporter}, by the OpenTelemetry Collector's file exporter (JSON format,
 * uncompressed), or by the SDK's {@code OtlpStdoutSpanExporter} (with or without its wrapper
 * object, that is one request or one {@code ResourceSpans} per line).
 *
 * <p>Each span becomes a {@link TraceSpan} in the file's {@link SpanGraph}; tool-call spans are
 * also read as {@link dev.parallax.core.record.ExecutionRecord}s by {@link
 * dev.parallax.telemetry.record.ToolSpanReader}, with its defaults for missing attributes. The
 * reader follows the OTLP/JSON rules and is lenient where other writers are: ids in hex (or, from
 * writers using protobuf's plain JSON mapping, base64), enums as numbers or names, {@code
 * lowerCamelCase} or {@code snake_case} field names, unknown fields ignored, blank lines skipped.
 *
 * <p>Tool calls are grouped into {@linkplain TraceRun runs} by their {@code parallax.run.id}
 * attribute with the {@code parallax.run} span carrying the same id; a call without the attribute
 * joins its parent if that is a run span, and otherwise the other calls under the same parent span.
 *
 * <p>A last line without a line end whose JSON ends early is what a writer that stopped mid-line (a
 * crash, a kill) leaves: it is skipped, counted in {@link ReadCounts#truncatedLines()} and reported
 * as a {@linkplain TraceFile#warnings() warning}, not a problem, so {@link #readStrict} accepts the
 * file. The same cut anywhere else is a malformed line.
 *
 * <p>Bad input does not stop the reading. A line that is not JSON or not an OTLP trace request is
 * lost and reported as a {@link Problem} naming the file and line; a span with unreadable ids, a
 * span read twice, or a tool span without a tool name is left out and reported too; the other lines
 * and spans are read. Spans that are not tool calls are kept in the graph and counted as skipped;
 * missing attributes and unknown enum values get defaults and are counted (see {@link ReadCounts}).
 * {@link #readStrict} throws instead when anything was reported.
 *
 * <p>Thread-safe (stateless); each call reads the file afresh.
 */
public final class TraceFileReader {

  private TraceFileReader() {}

  /**
   * Reads the file, collecting problems in the result.
   *
   * @throws UncheckedIOException if the file does not exist or cannot be read; the message names
   *     the path (and, for an error while reading, the line)
   * @throws IllegalArgumentException if the path is a directory
   */
  public static TraceFile read(Path file) {
    Objects.requireNonNull(file, "file");
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("trace file is a directory: " + file);
    }
    SpanCollector collector = new SpanCollector(file);
    int number = 0;
    // InputStreamReader replaces malformed UTF-8 instead of failing the whole file
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      // one line behind: the last line is read knowing it is the last
      String line = in.readLine();
      while (line != null) {
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        String next = in.readLine();
        collector.line(number, line, next == null && !endsWithLineBreak(file));
        line = next;
      }
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("trace file not found: " + file, e);
    } catch (IOException e) {
      String where = number == 0 ? "" : " after line " + number;
      throw new UncheckedIOException("cannot read trace file " + file + where + ": " + e, e);
    }
    return collector.finish();
  }

  /** Whether the file's last byte ends a line; an empty file counts as ended. */
  private static boolean endsWithLineBreak(Path file) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      if (size == 0) {
        return true;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      channel.position(size - 1);
      if (channel.read(last) != 1) {
        return true;
      }
      byte b = last.get(0);
      return b == '\n' || b == '\r';
    }
  }

  /**
   * Reads the file and fails if anything in it could not be read.
   *
   * @throws TraceFileException if the file has {@linkplain Problem problems}: malformed lines,
   *     spans with unreadable ids, duplicate spans or tool spans without a tool name
   * @throws UncheckedIOException if the file does not exist or cannot be read
   * @throws IllegalArgumentException if the path is a directory
   */
  public static TraceFile readStrict(Path file) {
    return read(file).requireNoProblems();
  }
}
