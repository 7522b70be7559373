package dev.parallax.samples.cli;

import java.io.PrintWriter;

/**
 * One line on the error stream, redrawn in place with a carriage return so that standard output
 * stays clean for the report; cut to the terminal's width (a wrapped line cannot be redrawn) and
 * cleared on demand. Not thread-safe.
 */
public final class ProgressLine {

  private final PrintWriter err;
  private final int columns = columns();
  private int drawn;

  /** Draws on {@code err}. */
  public ProgressLine(PrintWriter err) {
    this.err = err;
  }

  /** Replaces the line with {@code text}. */
  public void show(String text) {
    String line = text.length() >= columns ? text.substring(0, columns - 1) : text;
    err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
    err.flush();
    drawn = line.length();
  }

  /** Erases the line, if one is drawn. */
  public void clear() {
    if (drawn > 0) {
      err.print("\r" + " ".repeat(drawn) + "\r");
      err.flush();
      drawn = 0;
    }
  }

  /** A bar of {@code width} characters, {@code share} (0 to 1) of it filled. */
  public static String bar(double share, int width) {
    int filled = (int) Math.round(Math.clamp(share, 0, 1) * width);
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
  }

  /** The terminal's width from {@code COLUMNS} when the shell exports it, else 80. */
  private static int columns() {
    try {
      int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
      return columns >= 20 ? columns : 80;
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
