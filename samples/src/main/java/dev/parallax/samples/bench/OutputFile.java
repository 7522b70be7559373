package dev.parallax.samples.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Checks, before minutes of work, that a report can be written where the user asked. */
final class OutputFile {

  private OutputFile() {}

  /**
   * Checks that {@code file} (given with {@code option}) can be created or replaced.
   *
   * @throws BadInputException saying why not
   */
  static void checkWritable(String option, @Nullable Path file) {
    if (file == null) {
      return;
    }
    Path absolute = file.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      throw new BadInputException("cannot write " + option + " " + file + ": it is a directory");
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new BadInputException(
          "cannot write " + option + " " + file + ": directory " + parent + " does not exist");
    }
    if (Files.exists(absolute) ? !Files.isWritable(absolute) : !Files.isWritable(parent)) {
      throw new BadInputException("cannot write " + option + " " + file + ": permission denied");
    }
  }
}
