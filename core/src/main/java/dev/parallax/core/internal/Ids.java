package dev.parallax.core.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random trace and span ids in the W3C form (lower-case hex, never all zero) for the records of
 * calls that have no span. Internal; may change at any time.
 */
final class Ids {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /** 32 hex digits. */
  static String traceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    write(random.nextLong(), out, 0);
    write(random.nextLong() | 1, out, 16);
    return new String(out);
  }

  /** 16 hex digits. */
  static String spanId() {
    char[] out = new char[16];
    write(ThreadLocalRandom.current().nextLong() | 1, out, 0);
    return new String(out);
  }

  private static void write(long value, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
