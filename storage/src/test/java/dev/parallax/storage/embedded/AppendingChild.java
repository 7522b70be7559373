package dev.parallax.storage.embedded;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.testing.Records;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link EmbeddedCrashTest}: appends batches of {@value #BATCH} records to the
 * store in {@code args[0]} and prints {@code ACK n} after each append returns, {@code n} being the
 * number of records acknowledged so far. Stops by itself after {@value #MAX_BATCHES} batches.
 */
public final class AppendingChild {

  static final int BATCH = 25;
  static final int MAX_BATCHES = 4000;

  private AppendingChild() {}

  /** Appends until killed. */
  public static void main(String[] args) {
    EmbeddedHistoryStore store = EmbeddedHistoryStore.open(Path.of(args[0]), Records.XYZ);
    System.out.println("OPEN");
    System.out.flush();
    long next = 0;
    for (int b = 0; b < MAX_BATCHES; b++) {
      List<ExecutionRecord> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        batch.add(Records.record(next++, "tool-" + (next % 3)));
      }
      store.append(batch);
      System.out.println("ACK " + next);
      System.out.flush();
    }
    store.close();
  }
}
