package dev.parallax.analysis;

import java.nio.file.Path;

/**
 * Reads one trace file of one {@linkplain #format() format} into a {@link TracedWorkflow}. Get one
 * from {@link TraceReaders}. Implementations are stateless and thread-safe.
 */
public interface TraceReader {

  /** The format this reader reads. */
  InputFormat format();

  /**
   * Reads {@code file}.
   *
   * @throws AnalysisException if the file cannot be read or analysed (missing, malformed, a cycle,
   *     a task without a runtime, no tool calls...); the message is one line naming the file
   */
  TracedWorkflow read(Path file);
}
