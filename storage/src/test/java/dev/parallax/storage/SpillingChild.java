package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.chroma.ChromaHistoryStore;
import dev.parallax.storage.testing.Records;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child JVM of {@link WriterSpillTest}: offers records to a writer whose store never answers
 * (nobody listens on its port), with a buffer of one record and the spill directory {@code
 * args[0]}, and prints {@code SPILLED n} for each record that went to disk once its {@code offer}
 * returned. Stops by itself after {@value #MAX_RECORDS} records.
 */
public final class SpillingChild {

  static final int MAX_RECORDS = 200_000;

  private SpillingChild() {}

  /** Offers until killed. */
  public static void main(String[] args) {
    ExecutionHistoryStore nobody =
        ChromaHistoryStore.builder(URI.create("http://127.0.0.1:9"), Records.XYZ)
            .timeout(Duration.ofSeconds(1))
            .build();
    BufferedHistoryWriter writer =
        BufferedHistoryWriter.builder(nobody)
            .capacity(1)
            .batchSize(1)
            .spillDirectory(Path.of(args[0]))
            .build();
    for (long n = 0; n < MAX_RECORDS; n++) {
      ExecutionRecord record = Records.record(n, "tool-" + n % 3);
      long before = writer.spilled();
      if (writer.offer(record) && writer.spilled() > before) {
        System.out.println("SPILLED " + n);
        System.out.flush();
      }
    }
  }
}
