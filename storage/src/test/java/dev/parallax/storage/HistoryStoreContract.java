package dev.parallax.storage;

import static dev.parallax.storage.testing.Records.T0;
import static dev.parallax.storage.testing.Records.record;
import static dev.parallax.storage.testing.Records.withFeatures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.testing.Records;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExecutionHistoryStore} does. One subclass per store opens a fresh, empty store
 * for each test with the vectorizer it is given.
 */
public abstract class HistoryStoreContract {

  /**
   * The tests' vectorizer: {@link Records#XYZ}, except that a record with a feature named {@code
   * warp} gets a vector one too long — a buggy custom vectorizer, to show the store rejects that
   * record alone.
   */
  static final FeatureVectorizer VECTORIZER =
      new FeatureVectorizer() {
        @Override
        public int dimension() {
          return 3;
        }

        @Override
        public float[] vectorize(ExecutionRecord record) {
          float[] v = Records.XYZ.vectorize(record);
          return record.features().containsKey("warp") ? new float[] {v[0], v[1], v[2], 0} : v;
        }
      };

  protected ExecutionHistoryStore store;

  /** A new, empty store that indexes with {@code vectorizer}. */
  protected abstract ExecutionHistoryStore openStore(FeatureVectorizer vectorizer);

  /** Runs before each test's store is opened; a subclass may start a server here. */
  protected void beforeOpening() throws Exception {}

  @BeforeEach
  void openTheStore() throws Exception {
    beforeOpening();
    store = openStore(VECTORIZER);
  }

  @AfterEach
  void closeTheStore() {
    if (store != null) {
      store.close();
    }
  }

  private static List<ExecutionRecord> records(long from, long to, String tool) {
    return LongStream.range(from, to).mapToObj(n -> record(n, tool)).toList();
  }

  private List<ExecutionRecord> scanAll(HistoryQuery query) {
    List<ExecutionRecord> all = new ArrayList<>();
    String token = null;
    do {
      HistoryPage page = store.scan(query.after(token));
      assertThat(page.records().size()).isLessThanOrEqualTo(query.limit());
      all.addAll(page.records());
      token = page.nextPageToken();
    } while (token != null);
    return all;
  }

  @Test
  void append_thenScan_returnsEveryFieldAsAppended() {
    List<ExecutionRecord> batch = records(0, 24, "search");

    AppendResult result = store.append(batch);

    assertThat(result.accepted()).isEqualTo(24);
    assertThat(result.rejected()).isEmpty();
    assertThat(store.count()).isEqualTo(24);
    assertThat(scanAll(HistoryQuery.all())).containsExactlyInAnyOrderElementsOf(batch);
  }

  @Test
  void append_preloadRecord_readsBackMarkedAsPreload_andOthersNot() {
    ExecutionRecord preload =
        record(3, "get_reservation").toBuilder().callId("preload-1").runId("preload-1").build();
    ExecutionRecord real = record(4, "get_reservation");
    assertThat(preload.preload()).isTrue();

    store.append(List.of(preload, real));

    assertThat(scanAll(HistoryQuery.all()))
        .containsExactlyInAnyOrder(preload, real)
        .filteredOn(ExecutionRecord::preload)
        .extracting(ExecutionRecord::callId)
        .containsExactly("preload-1");
  }

  @Test
  void append_sameRecordTwice_storesItOnce() {
    store.append(records(0, 5, "search"));
    AppendResult again = store.append(records(0, 8, "search"));

    assertThat(again.accepted()).isEqualTo(8);
    assertThat(store.count()).isEqualTo(8);
    assertThat(scanAll(HistoryQuery.all())).hasSize(8).doesNotHaveDuplicates();
  }

  @Test
  void append_duplicateWithinOneBatch_countsOnce() {
    AppendResult result = store.append(List.of(record(1, "a"), record(1, "a"), record(2, "a")));

    assertThat(result.accepted()).isEqualTo(2);
    assertThat(store.count()).isEqualTo(2);
  }

  @Test
  void append_emptyBatch_isANoOp() {
    assertThat(store.append(List.of()).accepted()).isZero();
    assertThat(store.count()).isZero();
  }

  @Test
  void scan_byToolAndWindow_returnsOnlyThatToolStartedInsideTheWindow() {
    store.append(records(0, 30, "search"));
    store.append(records(30, 60, "fetch"));
    store.append(records(60, 70, "search"));

    // [T0+10ms, T0+65ms): search 10..29 and 60..64
    List<ExecutionRecord> found =
        scanAll(HistoryQuery.forTool("search").between(T0.plusMillis(10), T0.plusMillis(65)));

    assertThat(found)
        .extracting(ExecutionRecord::callId)
        .containsExactlyInAnyOrderElementsOf(
            LongStream.concat(LongStream.range(10, 30), LongStream.range(60, 65))
                .mapToObj(n -> "call-" + n)
                .toList());
  }

  @Test
  void scan_windowBounds_fromInclusiveToExclusiveToTheNanosecond() {
    Instant at = T0.plusNanos(7);
    store.append(
        List.of(
            record(1, "t", at.minusNanos(1), Map.of()),
            record(2, "t", at, Map.of()),
            record(3, "t", at.plusNanos(1), Map.of())));

    List<ExecutionRecord> found = scanAll(HistoryQuery.all().between(at, at.plusNanos(1)));

    assertThat(found).extracting(ExecutionRecord::callId).containsExactly("call-2");
  }

  @Test
  void scan_inPages_returnsEveryMatchingRecordExactlyOnce() {
    store.append(records(0, 53, "search"));
    store.append(records(53, 60, "fetch"));

    List<ExecutionRecord> found = scanAll(HistoryQuery.forTool("search").withLimit(10));

    assertThat(found).hasSize(53).doesNotHaveDuplicates();
    assertThat(found).allMatch(r -> r.tool().equals("search"));
  }

  @Test
  void asRecordSource_pagesThroughTheWindow_everyRecordOnce_attemptsKeptApart() {
    store.append(records(0, 25, "search"));
    ExecutionRecord firstAttempt =
        record(3, "search").toBuilder().attempt(1).attempts(1).finalAttempt(false).build();
    store.append(List.of(firstAttempt)); // the same call's earlier attempt: a record of its own
    dev.parallax.core.record.RecordSource source = store;

    List<ExecutionRecord> found = new ArrayList<>();
    String token = null;
    do {
      dev.parallax.core.record.RecordPage page =
          source.scan(T0.plusMillis(2), T0.plusMillis(20), 4, token);
      assertThat(page.records().size()).isLessThanOrEqualTo(4);
      found.addAll(page.records());
      token = page.nextPageToken();
    } while (token != null);

    assertThat(found).hasSize(19).doesNotHaveDuplicates();
    assertThat(found).filteredOn(r -> r.callId().equals("call-3")).hasSize(2);
    assertThat(found).contains(firstAttempt);
  }

  @Test
  void scan_pageOfExactlyTheLimit_hasNoNextPageAfterTheLast() {
    store.append(records(0, 10, "search"));

    HistoryPage first = store.scan(HistoryQuery.all().withLimit(10));

    assertThat(first.records()).hasSize(10);
    if (first.nextPageToken() != null) {
      assertThat(
              store.scan(HistoryQuery.all().withLimit(10).after(first.nextPageToken())).records())
          .isEmpty();
    }
  }

  @Test
  void scan_emptyStore_returnsAnEmptyLastPage() {
    HistoryPage page = store.scan(HistoryQuery.all());

    assertThat(page.records()).isEmpty();
    assertThat(page.nextPageToken()).isNull();
  }

  @Test
  void nearest_returnsTheKClosestRecordsNearestFirst() {
    List<ExecutionRecord> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      batch.add(withFeatures(i, i % 2 == 0 ? "even" : "odd", i, 0, 0));
    }
    store.append(batch);

    List<Neighbor> near = store.nearest(new float[] {10.2f, 0, 0}, 3, null);

    assertThat(near)
        .extracting(n -> n.record().callId())
        .containsExactly("call-10", "call-11", "call-9");
    assertThat(near.get(0).distance()).isCloseTo(0.2, within(1e-4));
    assertThat(near.get(1).distance()).isCloseTo(0.8, within(1e-4));
  }

  @Test
  void nearest_forOneTool_returnsOnlyThatTool() {
    List<ExecutionRecord> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      batch.add(withFeatures(i, i % 2 == 0 ? "even" : "odd", i, 0, 0));
    }
    store.append(batch);

    List<Neighbor> near = store.nearest(new float[] {10.2f, 0, 0}, 3, "odd");

    assertThat(near)
        .extracting(n -> n.record().callId())
        .containsExactly("call-11", "call-9", "call-13");
  }

  @Test
  void nearest_moreThanStored_returnsAll() {
    store.append(records(0, 4, "search"));

    assertThat(store.nearest(new float[] {0, 0, 0}, 10, null)).hasSize(4);
    assertThat(store.nearest(new float[] {0, 0, 0}, 10, "nobody")).isEmpty();
  }

  @Test
  void nearest_emptyStore_returnsNothing() {
    assertThat(store.nearest(new float[] {1, 2, 3}, 5, null)).isEmpty();
    assertThat(store.nearest(new float[] {1, 2, 3}, 5, "search")).isEmpty();
  }

  @Test
  void deleteStartedBefore_nothingOlder_deletesNothing() {
    store.append(records(0, 3, "search"));

    assertThat(store.deleteStartedBefore(T0)).isZero();
    assertThat(store.count()).isEqualTo(3);
  }

  @Test
  void nearest_queryOfWrongDimensionOrNaN_isRejected() {
    store.append(records(0, 4, "search"));

    assertThatThrownBy(() -> store.nearest(new float[] {1, 2}, 3, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 2");
    assertThatThrownBy(() -> store.nearest(new float[] {1, Float.NaN, 3}, 3, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> store.nearest(new float[] {1, 2, 3}, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void append_badRecords_rejectedByNameWhileTheRestOfTheBatchIsKept() {
    Map<String, Double> nan = new HashMap<>(Map.of("x", Double.NaN));
    Map<String, Double> infinite = new HashMap<>(Map.of("latency.hint", Double.POSITIVE_INFINITY));
    Map<String, Double> warped = new HashMap<>(Map.of("warp", 1.0));
    ExecutionRecord huge = record(104, "search", T0, Map.of());
    huge = huge.toBuilder().arguments("x".repeat(100_000)).build();
    List<ExecutionRecord> batch = new ArrayList<>(records(0, 3, "search"));
    batch.add(record(101, "search", T0, nan));
    batch.add(record(102, "search", T0, infinite));
    batch.add(record(103, "search", T0, warped));
    batch.add(huge);
    batch.addAll(records(3, 6, "search"));

    AppendResult result = store.append(batch);

    assertThat(result.accepted()).isEqualTo(6);
    assertThat(result.rejected())
        .extracting(Rejection::callId)
        .containsExactly("call-101", "call-102", "call-103", "call-104");
    assertThat(result.rejected().get(0).message())
        .contains(RecordIds.of(record(101, "search")))
        .contains("call-101")
        .contains("feature 'x' is NaN");
    assertThat(result.rejected().get(1).reason()).contains("feature 'latency.hint' is Infinity");
    assertThat(result.rejected().get(2).reason()).contains("dimension 4").contains("3");
    assertThat(result.rejected().get(3).reason()).contains("arguments has 100000 chars");
    assertThat(store.count()).isEqualTo(6);
    assertThat(scanAll(HistoryQuery.all()))
        .extracting(ExecutionRecord::callId)
        .containsExactlyInAnyOrder("call-0", "call-1", "call-2", "call-3", "call-4", "call-5");
  }

  @Test
  void append_nullFeatureValueOrNegativeDuration_isRejectedNotThrown() {
    Map<String, Double> withNull = new HashMap<>();
    withNull.put("x", null);
    ExecutionRecord negative = record(202, "search");
    negative = negative.toBuilder().duration(Duration.ofMillis(-1)).build();

    AppendResult result =
        store.append(List.of(record(201, "search", T0, withNull), negative, record(1, "search")));

    assertThat(result.accepted()).isEqualTo(1);
    assertThat(result.rejected())
        .extracting(Rejection::reason)
        .anySatisfy(r -> assertThat(r).contains("feature 'x' is null"))
        .anySatisfy(r -> assertThat(r).contains("duration PT-0.001S"));
  }

  @Test
  void deleteStartedBefore_removesOnlyOlderRecords() {
    store.append(records(0, 20, "search"));

    long deleted = store.deleteStartedBefore(T0.plusMillis(5));

    assertThat(deleted).isEqualTo(5);
    assertThat(store.count()).isEqualTo(15);
    assertThat(scanAll(HistoryQuery.all()))
        .extracting(ExecutionRecord::callId)
        .doesNotContain("call-0", "call-4")
        .contains("call-5", "call-19");
    assertThat(store.nearest(new float[] {5, 5, 1}, 1, null).get(0).record().callId())
        .isEqualTo("call-5");
  }

  @Test
  void deleteOlderThan_keepsRecordsYoungerThanTheAge() {
    store.append(records(0, 10, "search"));
    Clock now = Clock.fixed(T0.plusMillis(10), ZoneOffset.UTC);

    long deleted = store.deleteOlderThan(Duration.ofMillis(3), now);

    assertThat(deleted).isEqualTo(7);
    Set<String> left = new HashSet<>();
    scanAll(HistoryQuery.all()).forEach(r -> left.add(r.callId()));
    assertThat(left).containsExactlyInAnyOrder("call-7", "call-8", "call-9");
  }

  @Test
  void vectorizer_isTheOneTheStoreWasOpenedWith() {
    assertThat(store.vectorizer()).isSameAs(VECTORIZER);
  }
}
