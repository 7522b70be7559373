package dev.parallax.storage.embedded;

import static dev.parallax.storage.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.storage.HistoryStoreContract;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.testing.Records;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract, run against {@link EmbeddedHistoryStore}, and what only a disk store does. */
class EmbeddedHistoryStoreTest extends HistoryStoreContract {

  @TempDir Path dir;

  @Override
  protected ExecutionHistoryStore openStore(FeatureVectorizer vectorizer) {
    return EmbeddedHistoryStore.open(dir.resolve("history"), vectorizer);
  }

  @Test
  void reopen_afterClose_keepsEveryRecord() {
    List<ExecutionRecord> batch = LongStream.range(0, 50).mapToObj(n -> record(n, "s")).toList();
    store.append(batch);
    store.close();

    store = openStore(Records.XYZ);

    assertThat(store.count()).isEqualTo(50);
    assertThat(store.scan(HistoryQuery.all()).records()).containsExactlyElementsOf(batch);
    assertThat(store.nearest(new float[] {20, 6, 1}, 1, null).get(0).record().callId())
        .isEqualTo("call-20");
  }

  @Test
  void reopen_withAnotherDimension_isRefusedWithBothDimensions() {
    store.append(List.of(record(1, "s")));
    store.close();

    assertThatThrownBy(() -> openStore(FeatureVectorizer.of(List.of("x", "y"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dimension 3")
        .hasMessageContaining("makes 2");
    store = openStore(Records.XYZ);
  }

  @Test
  void open_whileAnotherStoreHoldsTheDirectory_fails() {
    assertThatThrownBy(() -> openStore(Records.XYZ))
        .isInstanceOf(HistoryStoreException.class)
        .hasMessageContaining(dir.resolve("history").toString());
  }
}
