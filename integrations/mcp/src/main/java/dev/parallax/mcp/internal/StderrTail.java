package dev.parallax.mcp.internal;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Keeps the last lines a server wrote to its standard error, for error messages. Thread-safe.
 * Internal; may change at any time.
 */
public final class StderrTail implements Consumer<String> {

  private static final System.Logger LOG = System.getLogger(StderrTail.class.getName());

  private final int capacity;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private final String server;

  /** Keeps up to {@code capacity} lines of {@code server}'s standard error. */
  public StderrTail(String server, int capacity) {
    this.server = server;
    this.capacity = capacity;
  }

  @Override
  public synchronized void accept(String line) {
    LOG.log(System.Logger.Level.DEBUG, "{0} stderr: {1}", server, line);
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  /** The kept lines joined by newlines, or {@code "(none)"}. */
  public synchronized String text() {
    return lines.isEmpty() ? "(none)" : String.join("\n", lines);
  }
}
