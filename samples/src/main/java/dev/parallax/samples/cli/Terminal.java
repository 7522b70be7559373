package dev.parallax.samples.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process's standard error is a terminal, where a progress bar may redraw itself. */
public final class Terminal {

  private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

  private Terminal() {}

  /**
   * Whether standard error is a terminal. Java cannot ask directly: on Linux the link {@code
   * /proc/self/fd/2} names the device; elsewhere the answer is whether the process has a terminal
   * console. Since Java 22 {@link System#console()} may return a console for redirected streams, so
   * {@code Console.isTerminal()} is asked where it exists (this code targets Java 21, which lacks
   * it).
   */
  public static boolean stderrIsTerminal() {
    if (Files.isSymbolicLink(STDERR_LINK)) {
      try {
        String target = Files.readSymbolicLink(STDERR_LINK).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | SecurityException e) {
        // fall through to the console
      }
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | ClassCastException e) {
      return true; // Java 21: a console means a terminal
    }
  }
}
