package dev.parallax.storage.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what a class logs, to check that an episode is logged once and not per record. */
public final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  /** Starts collecting what {@code type}'s logger logs. */
  public static LogCapture of(Class<?> type) {
    return new LogCapture(Logger.getLogger(type.getName()));
  }

  /** How many messages at {@code level} or above contain {@code text}. */
  public long count(Level level, String text) {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= level.intValue())
        .filter(r -> String.valueOf(r.getMessage()).contains(text))
        .count();
  }

  /** Every message logged, for failure messages. */
  public List<String> messages() {
    return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
