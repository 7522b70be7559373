package dev.parallax.adaptive;

import java.nio.file.Path;

/** A model file could not be written, or read back: missing, corrupt or of the wrong kind. */
public final class ModelFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Path path;

  /** A problem with {@code path}. */
  public ModelFileException(Path path, String message, Throwable cause) {
    super(path + ": " + message, cause);
    this.path = path;
  }

  /** A problem with {@code path}. */
  public ModelFileException(Path path, String message) {
    super(path + ": " + message);
    this.path = path;
  }

  /** The file or directory concerned. */
  public Path path() {
    return path;
  }
}
