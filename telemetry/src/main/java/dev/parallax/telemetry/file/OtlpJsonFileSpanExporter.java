package dev.parallax.telemetry.file;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link SpanExporter} that appends spans to a file in OTLP/JSON, the OpenTelemetry exchange
 * format: one {@code ExportTraceServiceRequest} per {@link #export} call, on one line, as the
 * OpenTelemetry Collector's file exporter writes them. Trace and span ids are hex, enums integers,
 * field names lowerCamelCase, as the OTLP specification requires. {@link TraceFileReader} and other
 * OpenTelemetry tools read the result.
 *
 * <pre>{@code
 * SdkTracerProvider.builder()
 *     .addSpanProcessor(BatchSpanProcessor.builder(
 *         OtlpJsonFileSpanExporter.create(Path.of("traces.jsonl"))).build())
 *     .build();
 * }</pre>
 *
 * <p>Each export is written and flushed to the operating system before {@code export} returns, so
 * its result code is already complete; {@link #flush} has nothing left to do and {@link #shutdown}
 * only closes the file. Nothing exported is lost if the process ends later. An empty export writes
 * nothing. An existing file is appended to; if its last line is unfinished (a writer stopped
 * mid-line) a line break is added first, so the next line stays readable.
 *
 * <p>Thread-safe: concurrent exports are written one after another, never interleaved. After
 * shutdown, exports fail (and are logged) without writing.
 */
public final class OtlpJsonFileSpanExporter implements SpanExporter {

  private static final Logger LOGGER = Logger.getLogger(OtlpJsonFileSpanExporter.class.getName());

  private final Path file;
  private final ReentrantLock lock = new ReentrantLock();
  private final Writer out;
  private boolean shutdown;

  private OtlpJsonFileSpanExporter(Path file, Writer out) {
    this.file = file;
    this.out = out;
  }

  /**
   * Opens the file for appending, creating it if it does not exist (its directory must exist).
   *
   * @throws UncheckedIOException if the file cannot be opened; the message names the path
   */
  public static OtlpJsonFileSpanExporter create(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      boolean unfinishedLine = endsMidLine(file);
      Writer out =
          new BufferedWriter(
              new OutputStreamWriter(
                  Files.newOutputStream(
                      file,
                      StandardOpenOption.CREATE,
                      StandardOpenOption.WRITE,
                      StandardOpenOption.APPEND),
                  StandardCharsets.UTF_8));
      if (unfinishedLine) {
        out.write('\n');
        out.flush();
      }
      return new OtlpJsonFileSpanExporter(file, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open trace file " + file + " for writing: " + e, e);
    }
  }

  /** The file written to. */
  public Path file() {
    return file;
  }

  /**
   * Writes the spans as one line and flushes it.
   *
   * @return a completed result: success, or failure if the exporter is shut down or writing failed
   *     (the cause is logged)
   */
  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    String line;
    try {
      // conversion outside the lock: only the write is serialized
      line = OtlpJson.print(SpanDataToProto.request(spans));
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING, "cannot convert " + spans.size() + " spans to OTLP/JSON", e);
      return CompletableResultCode.ofFailure();
    }
    lock.lock();
    try {
      if (shutdown) {
        LOGGER.log(
            Level.WARNING,
            "{0} spans not written: exporter for {1} is shut down",
            new Object[] {spans.size(), file});
        return CompletableResultCode.ofFailure();
      }
      out.write(line);
      out.write('\n');
      out.flush();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      LOGGER.log(Level.WARNING, "cannot write " + spans.size() + " spans to " + file, e);
      return CompletableResultCode.ofFailure();
    } finally {
      lock.unlock();
    }
  }

  /** Succeeds at once: every export is flushed before it returns. */
  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  /**
   * Closes the file; later exports fail. Calling it again does nothing.
   *
   * @return a completed result: success, or failure if closing failed (the cause is logged)
   */
  @Override
  public CompletableResultCode shutdown() {
    lock.lock();
    try {
      if (shutdown) {
        return CompletableResultCode.ofSuccess();
      }
      shutdown = true;
      out.close();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      LOGGER.log(Level.WARNING, "cannot close " + file, e);
      return CompletableResultCode.ofFailure();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "OtlpJsonFileSpanExporter{file=" + file + "}";
  }

  private static boolean endsMidLine(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      return false;
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      channel.position(channel.size() - 1).read(last);
      return last.get(0) != '\n';
    }
  }
}
