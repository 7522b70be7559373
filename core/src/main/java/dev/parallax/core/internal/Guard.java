package dev.parallax.core.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Logging from places that must not throw, even when memory has run out. Internal. */
final class Guard {

  private Guard() {}

  /** Allocates a reserve of heap; called once, when the engine's classes load. */
  static byte[] reserve(int bytes) {
    return new byte[bytes];
  }

  /** Logs a warning with its cause; if logging itself fails (out of memory), says nothing. */
  static void log(Logger log, String message, Throwable cause) {
    try {
      log.log(Level.WARNING, message, cause);
    } catch (Throwable ignored) {
      // nothing left to report with
    }
  }
}
