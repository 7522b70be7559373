package dev.parallax.storage.internal;

import dev.parallax.core.record.ExecutionRecord;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Overflow of the buffered writer on disk: records as JSON lines in append-only {@code
 * spill-N.jsonl} files of at most {@code recordsPerFile} records each, so that a file is read back
 * in bounded memory and deleted as soon as it is delivered.
 *
 * <p>Producers {@link #append} to the newest file; each record is handed to the operating system
 * before {@code append} returns (one {@code write} per record, no {@code fsync}), so a process
 * crash loses no spilled record; a line torn by a crash in the middle of {@code append} belonged to
 * an append that never returned, and is skipped when read. The writer's thread {@linkplain #oldest
 * takes} whole files (the oldest first, closing the newest one if it is the only one), reads them
 * with a {@link Reader} and {@linkplain #delivered deletes} them. Files left by a previous process
 * are counted at start and delivered like the others; a file delivered in part before a crash is
 * delivered again in full, which stores by id make harmless.
 *
 * <p>A <em>temporary</em> spill creates its directory (under {@code java.io.tmpdir}) at the first
 * append and deletes it whenever everything spilled was delivered.
 *
 * <p>Thread-safe. Internal: may change at any time.
 */
public final class SpillFiles implements Closeable {

  /** Default most records in one spill file. */
  public static final int DEFAULT_RECORDS_PER_FILE = 10_000;

  private static final byte[] NEWLINE = {'\n'};

  private final boolean temporary;
  private final int recordsPerFile;
  private @Nullable Path dir;
  private final Map<Path, Long> lines = new HashMap<>();
  private long next;
  private @Nullable OutputStream current;
  private @Nullable Path currentPath;
  private long currentLines;
  private long pending;

  private SpillFiles(@Nullable Path dir, boolean temporary, int recordsPerFile) {
    this.dir = dir;
    this.temporary = temporary;
    this.recordsPerFile = recordsPerFile;
  }

  /** Spill files in {@code dir} (created if missing), counting what earlier processes left. */
  public static SpillFiles in(Path dir, int recordsPerFile) throws IOException {
    SpillFiles files = new SpillFiles(Files.createDirectories(dir), false, recordsPerFile);
    for (Path p : files.files()) {
      files.next = Math.max(files.next, number(p) + 1);
      long n;
      try (Stream<String> l = Files.lines(p, StandardCharsets.UTF_8)) {
        n = l.filter(s -> !s.isBlank()).count();
      }
      files.lines.put(p, n);
      files.pending += n;
    }
    return files;
  }

  /** Spill files in a temporary directory made at the first append, deleted when drained. */
  public static SpillFiles temporary(int recordsPerFile) {
    return new SpillFiles(null, true, recordsPerFile);
  }

  /** The directory, or {@code null} while a temporary spill has none. */
  public synchronized @Nullable Path directory() {
    return dir;
  }

  /** Appends one record; it reached the operating system when this returns. */
  public synchronized void append(ExecutionRecord record) throws IOException {
    byte[] json = RecordJson.toBytes(record);
    OutputStream out = current;
    if (out == null) {
      Path d = dir;
      if (d == null) {
        d = Files.createTempDirectory("parallax-history-spill-");
        dir = d;
      }
      Path path = d.resolve("spill-" + next++ + ".jsonl");
      out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND);
      current = out;
      currentPath = path;
      currentLines = 0;
      lines.put(path, 0L);
    }
    Path path = currentPath;
    try {
      // one write: the line and its end together, so a torn line is always the last one
      byte[] line = new byte[json.length + 1];
      System.arraycopy(json, 0, line, 0, json.length);
      line[json.length] = NEWLINE[0];
      out.write(line);
    } catch (IOException e) {
      closeCurrent(); // the next append starts a new file; this one may end torn
      throw e;
    }
    currentLines++;
    pending++;
    lines.merge(path, 1L, Long::sum);
    if (currentLines >= recordsPerFile) {
      closeCurrent();
    }
  }

  /** Records spilled and not yet delivered. */
  public synchronized long pending() {
    return pending;
  }

  /**
   * The oldest spill file to deliver, closing the file being appended to if it is the only one; or
   * {@code null} if nothing is spilled.
   */
  public synchronized @Nullable Path oldest() throws IOException {
    List<Path> all = files();
    for (Path p : all) {
      if (!p.equals(currentPath)) {
        return p;
      }
    }
    if (currentPath != null && currentLines > 0) {
      Path p = currentPath;
      closeCurrent();
      return p;
    }
    return null;
  }

  /** Deletes a delivered file; deletes a drained temporary directory. */
  public synchronized void delivered(Path file) throws IOException {
    Files.deleteIfExists(file);
    Long n = lines.remove(file);
    pending = Math.max(0, pending - (n == null ? 0 : n));
    deleteIfDrainedTemporary();
  }

  /**
   * Closes the file being appended to; a drained temporary directory is deleted.
   *
   * @throws IOException if the file cannot be closed
   */
  @Override
  public synchronized void close() throws IOException {
    try {
      closeCurrent();
    } finally {
      deleteIfDrainedTemporary();
    }
  }

  private void closeCurrent() throws IOException {
    OutputStream out = current;
    current = null;
    currentPath = null;
    currentLines = 0;
    if (out != null) {
      out.close();
    }
  }

  private void deleteIfDrainedTemporary() throws IOException {
    Path d = dir;
    if (temporary && d != null && pending == 0 && current == null && files().isEmpty()) {
      Files.deleteIfExists(d);
      dir = null;
      lines.clear();
    }
  }

  private List<Path> files() throws IOException {
    Path d = dir;
    if (d == null || !Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().matches("spill-\\d+\\.jsonl"))
          .sorted((a, b) -> Long.compare(number(a), number(b)))
          .toList();
    }
  }

  private static long number(Path p) {
    String name = p.getFileName().toString();
    return Long.parseLong(name.substring("spill-".length(), name.length() - ".jsonl".length()));
  }

  /** Reads a spill file in batches. Not thread-safe. */
  public static final class Reader implements Closeable {
    private final BufferedReader in;
    private long torn;

    /** Opens {@code file}. */
    public Reader(Path file) throws IOException {
      this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    /** Up to {@code max} more records; empty at the end of the file. */
    public List<ExecutionRecord> next(int max) throws IOException {
      List<ExecutionRecord> records = new ArrayList<>(Math.min(max, 1024));
      String line;
      while (records.size() < max && (line = in.readLine()) != null) {
        if (!line.isBlank()) {
          try {
            records.add(RecordJson.fromLine(line));
          } catch (IllegalArgumentException e) {
            torn++; // a line torn by a crash while it was written
          }
        }
      }
      return records;
    }

    /** Lines that could not be read (torn by a crash). */
    public long torn() {
      return torn;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
