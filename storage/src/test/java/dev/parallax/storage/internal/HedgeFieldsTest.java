package dev.parallax.storage.internal;

import static dev.parallax.storage.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.core.record.ExecutionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ExecutionRecord#hedge()} and {@link ExecutionRecord#hedged()} in the stores' formats:
 * written only when true, read back; records written before the fields were stored read as not
 * hedged (regression: both marks were dropped by the history stores).
 */
@Timeout(10)
class HedgeFieldsTest {

  private final ExecutionRecord hedge =
      record(5, "search").toBuilder().hedge(true).hedged(true).build();
  private final ExecutionRecord firstOfHedgedCall =
      record(6, "search").toBuilder().hedged(true).build();
  private final ExecutionRecord plain = record(7, "search");

  @Test
  void json_marksWrittenOnlyWhenTrue_andReadBack() {
    assertThat(RecordJson.toTree(hedge).get("hedge").asBoolean()).isTrue();
    assertThat(RecordJson.toTree(firstOfHedgedCall).has("hedge")).isFalse();
    assertThat(RecordJson.toTree(plain).has("hedged")).isFalse();
    for (ExecutionRecord r : new ExecutionRecord[] {hedge, firstOfHedgedCall, plain}) {
      assertThat(RecordJson.fromLine(RecordJson.toLine(r))).isEqualTo(r);
    }
  }

  @Test
  void chromaMetadata_marksWrittenOnlyWhenTrue_andReadBack() {
    assertThat(ChromaRecords.metadata(hedge).get("hedged").asBoolean()).isTrue();
    assertThat(ChromaRecords.metadata(plain).has("hedge")).isFalse();
    for (ExecutionRecord r : new ExecutionRecord[] {hedge, firstOfHedgedCall, plain}) {
      assertThat(ChromaRecords.record(ChromaRecords.metadata(r))).isEqualTo(r);
    }
  }

  @Test
  void olderRecordsWithoutTheFields_readAsNotHedged() {
    ObjectNode json = RecordJson.toTree(hedge);
    json.remove("hedge");
    json.remove("hedged");
    ObjectNode chroma = ChromaRecords.metadata(hedge);
    chroma.remove("hedge");
    chroma.remove("hedged");

    ExecutionRecord notHedged = hedge.toBuilder().hedge(false).hedged(false).build();
    assertThat(RecordJson.fromTree(json)).isEqualTo(notHedged);
    assertThat(ChromaRecords.record(chroma)).isEqualTo(notHedged);
  }
}
