package dev.parallax.samples.bench;

import java.io.Console;

/** Whether this process talks to a terminal. */
final class Terminal {

  private Terminal() {}

  /**
   * Whether standard input and output are a terminal. Since Java 22 {@link System#console()} may
   * return a console when they are redirected, so {@code Console.isTerminal()} is asked too where
   * it exists (the code is compiled for Java 21, which lacks it).
   */
  static boolean isInteractive() {
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
