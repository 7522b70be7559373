package dev.parallax.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.InMemoryHistoryStore;
import dev.parallax.storage.Neighbor;
import dev.parallax.storage.testing.Records;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's exact nearest-neighbour scan (below its exact-search limit): the same
 * distances as a brute-force store over several segments, replaced records and ties.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedNearestTest {

  @TempDir Path dir;

  /* Few distinct values per feature, so many records lie at equal distances. */
  private static List<ExecutionRecord> batch(long from, int count, Random random) {
    List<ExecutionRecord> records = new ArrayList<>();
    for (long n = from; n < from + count; n++) {
      Map<String, Double> features =
          Map.of(
              "x", (double) random.nextInt(30),
              "y", (double) random.nextInt(4),
              "z", random.nextGaussian());
      String tool = n % 3 == 0 ? "a" : "b";
      records.add(Records.record(n, tool, Records.T0.plusMillis(n), features));
    }
    return records;
  }

  @Test
  void nearest_belowTheExactLimit_equalsBruteForce_acrossSegmentsAndReplacedRecords()
      throws Exception {
    Random random = new Random(3);
    InMemoryHistoryStore reference = new InMemoryHistoryStore(Records.XYZ);
    try (EmbeddedHistoryStore store = EmbeddedHistoryStore.open(dir.resolve("h"), Records.XYZ)) {
      for (int b = 0; b < 5; b++) { // one commit each: one segment each
        List<ExecutionRecord> records = batch(b * 400L, 400, random);
        store.append(records);
        reference.append(records);
      }
      List<ExecutionRecord> replaced = batch(100, 300, random); // same ids, new features
      store.append(replaced);
      reference.append(replaced);
      try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir.resolve("h")))) {
        assertThat(reader.leaves()).hasSizeGreaterThan(1);
        assertThat(reader.hasDeletions()).isTrue();
      }
      assertThat(store.count()).isEqualTo(reference.count()).isEqualTo(2000);

      for (int q = 0; q < 60; q++) {
        float[] v = {random.nextInt(32) - 1, random.nextInt(5), (float) random.nextGaussian()};
        for (String tool : new String[] {null, "a", "b", "nobody"}) {
          // every record of the tool by its exact distance: a returned record must be one of them
          Map<ExecutionRecord, Double> all = new HashMap<>();
          for (Neighbor n : reference.nearest(v, 3000, tool)) {
            all.put(n.record(), n.distance());
          }
          for (int k : new int[] {1, 5, 64, 3000}) {
            List<Neighbor> got = store.nearest(v, k, tool);
            List<Neighbor> want = reference.nearest(v, k, tool);
            assertThat(distances(got)).as("k=%d tool=%s", k, tool).isEqualTo(distances(want));
            for (Neighbor n : got) {
              assertThat(all.get(n.record())).as("%s", n).isEqualTo(n.distance());
            }
          }
        }
      }
    }
  }

  @Test
  void nearest_tiesAtTheKthDistance_areBrokenTheSameWayEachTime() {
    List<ExecutionRecord> same = new ArrayList<>();
    for (long n = 0; n < 200; n++) {
      same.add(Records.record(n, "t", Records.T0.plusMillis(n), Map.of("x", 1.0)));
    }
    try (EmbeddedHistoryStore store = EmbeddedHistoryStore.open(dir.resolve("h"), Records.XYZ)) {
      store.append(same.subList(0, 100));
      store.append(same.subList(100, 200));
      float[] v = {1, 0, 0};

      List<Neighbor> first = store.nearest(v, 10, "t");
      List<Neighbor> again = store.nearest(v, 10, "t");

      assertThat(first).hasSize(10).allSatisfy(n -> assertThat(n.distance()).isZero());
      assertThat(again).isEqualTo(first);
    }
  }

  @Test
  void exactSearchLimit_negative_isRejected() {
    assertThatThrownBy(() -> EmbeddedHistoryStore.builder(dir, Records.XYZ).exactSearchLimit(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  private static List<Double> distances(List<Neighbor> neighbours) {
    return neighbours.stream().map(Neighbor::distance).toList();
  }
}
