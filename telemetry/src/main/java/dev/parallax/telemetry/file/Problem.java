package dev.parallax.telemetry.file;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something in a trace file that could not be read: a malformed line (all of it is lost), or a span
 * or link that was dropped or read only in part (the rest of its line was read).
 *
 * @param file the file
 * @param line the line number, from 1
 * @param message what is wrong and what was done about it
 */
public record Problem(Path file, int line, String message) {

  /** Validates. */
  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line: message}, as compilers print errors. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + message;
  }
}
