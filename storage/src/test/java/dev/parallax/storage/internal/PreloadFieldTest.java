package dev.parallax.storage.internal;

import static dev.parallax.storage.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.core.record.ExecutionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ExecutionRecord#preload()} in the stores' formats: written only when true (as {@code
 * preloadHit} is), and records written before the field existed read as not a preload.
 */
@Timeout(10)
class PreloadFieldTest {

  private final ExecutionRecord preload = record(3, "get_reservation");
  private final ExecutionRecord real = record(4, "get_reservation");

  @Test
  void json_preloadWrittenOnlyWhenTrue_andReadBack() {
    assertThat(preload.preload()).isTrue();
    assertThat(RecordJson.toTree(preload).get("preload").asBoolean()).isTrue();
    assertThat(RecordJson.toTree(real).has("preload")).isFalse();
    assertThat(RecordJson.fromLine(RecordJson.toLine(preload))).isEqualTo(preload);
    assertThat(RecordJson.fromLine(RecordJson.toLine(real))).isEqualTo(real);
  }

  @Test
  void json_olderRecordWithoutTheField_readsAsNotAPreload() {
    ObjectNode older = RecordJson.toTree(preload);
    older.remove("preload");

    ExecutionRecord read = RecordJson.fromTree(older);

    assertThat(read.preload()).isFalse();
    assertThat(read).isEqualTo(preload.toBuilder().preload(false).build());
  }

  @Test
  void chromaMetadata_preloadWrittenOnlyWhenTrue_andReadBack() {
    assertThat(ChromaRecords.metadata(preload).get("preload").asBoolean()).isTrue();
    assertThat(ChromaRecords.metadata(real).has("preload")).isFalse();
    assertThat(ChromaRecords.record(ChromaRecords.metadata(preload))).isEqualTo(preload);
    assertThat(ChromaRecords.record(ChromaRecords.metadata(real))).isEqualTo(real);
  }

  @Test
  void chromaMetadata_olderRecordWithoutTheField_readsAsNotAPreload() {
    ObjectNode older = ChromaRecords.metadata(preload);
    older.remove("preload");

    assertThat(ChromaRecords.record(older).preload()).isFalse();
  }
}
