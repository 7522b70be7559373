package dev.parallax.storage.internal;

import dev.parallax.core.record.ExecutionRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Overflow of the buffered writer on disk: records as JSON lines in {@code spill-N.jsonl} files.
 * Callers append to the newest file; the writer's thread takes whole older files ({@link
 * #rotate()}), delivers them and deletes them. Files left by a previous process are picked up.
 * Internal: may change at any time.
 */
public final class SpillFiles {

  private final Path dir;
  private long next;
  private @Nullable BufferedWriter current;
  private @Nullable Path currentPath;
  private long pendingLines;

  /** Opens (creating) the directory and counts what earlier processes left there. */
  public SpillFiles(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    for (Path p : files()) {
      next = Math.max(next, number(p) + 1);
      try (Stream<String> lines = Files.lines(p, StandardCharsets.UTF_8)) {
        pendingLines += lines.filter(l -> !l.isBlank()).count();
      }
    }
  }

  /** Appends one record. */
  public synchronized void append(ExecutionRecord record) throws IOException {
    if (current == null) {
      currentPath = dir.resolve("spill-" + next++ + ".jsonl");
      current =
          Files.newBufferedWriter(
              currentPath,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
    }
    current.write(RecordJson.toLine(record));
    current.newLine();
    current.flush();
    pendingLines++;
  }

  /** Records spilled and not yet taken back. */
  public synchronized long pending() {
    return pendingLines;
  }

  /** Closes the file being appended to, so that every spill file can be taken. */
  public synchronized void rotate() throws IOException {
    if (current != null) {
      current.close();
      current = null;
      currentPath = null;
    }
  }

  /** The oldest closed spill file, or {@code null}. */
  public synchronized @Nullable Path oldestClosed() throws IOException {
    for (Path p : files()) {
      if (!p.equals(currentPath)) {
        return p;
      }
    }
    return null;
  }

  /** Reads a spill file's records; lines that cannot be read (a torn last line) are skipped. */
  public static List<ExecutionRecord> read(Path file) throws IOException {
    List<ExecutionRecord> records = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          try {
            records.add(RecordJson.fromLine(line));
          } catch (IllegalArgumentException e) {
            // a line torn by a crash while it was written
          }
        }
      }
    }
    return records;
  }

  /** Deletes a file whose {@code lines} records were delivered. */
  public synchronized void delivered(Path file, long lines) throws IOException {
    Files.deleteIfExists(file);
    pendingLines = Math.max(0, pendingLines - lines);
  }

  /** Closes the file being appended to. */
  public synchronized void close() throws IOException {
    rotate();
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("spill-\\d+\\.jsonl"))
          .sorted((a, b) -> Long.compare(number(a), number(b)))
          .toList();
    }
  }

  private static long number(Path p) {
    String name = p.getFileName().toString();
    return Long.parseLong(name.substring("spill-".length(), name.length() - ".jsonl".length()));
  }
}
