package dev.parallax.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.ArgumentFeatures;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The features copy the engine makes once per call and every record of the call shares. */
class SortedFeaturesTest {

  @Test
  void copy_isSortedByName_andEqualToTheSource() {
    Map<String, Double> source = new LinkedHashMap<>();
    source.put("zeta", 3.0);
    source.put("alpha", 1.0);
    source.put("mid", 2.0);

    Map<String, Double> copy = SortedFeatures.of(source);

    assertThat(List.copyOf(copy.keySet())).containsExactly("alpha", "mid", "zeta");
    assertThat(copy).isEqualTo(source).isEqualTo(new TreeMap<>(source));
    assertThat(copy.hashCode()).isEqualTo(source.hashCode());
    assertThat(copy.toString()).isEqualTo(new TreeMap<>(source).toString());
    assertThat(copy.get("mid")).isEqualTo(2.0);
    assertThat(copy.get("absent")).isNull();
    assertThat(copy.containsKey("zeta")).isTrue();
    assertThat(copy.containsKey(42)).isFalse();
  }

  @Test
  void copy_isImmutable_andIndependentOfTheSource() {
    Map<String, Double> source = new HashMap<>(Map.of("a", 1.0));
    Map<String, Double> copy = SortedFeatures.of(source);
    source.put("b", 2.0);

    assertThat(copy).containsExactly(Map.entry("a", 1.0));
    assertThatThrownBy(() -> copy.put("c", 3.0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> copy.entrySet().iterator().next().setValue(9.0))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> copy.keySet().remove("a"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nullName_isRejected_nullValue_kept_likeTheTreeMapCopyBefore() {
    Map<String, Double> nullName = new HashMap<>();
    nullName.put(null, 1.0);
    Map<String, Double> nullValue = new HashMap<>();
    nullValue.put("a", null);

    assertThatThrownBy(() -> SortedFeatures.of(nullName)).isInstanceOf(NullPointerException.class);
    assertThat(SortedFeatures.of(nullValue)).containsEntry("a", null);
  }

  @Test
  void records_shareTheEnginesCopy_andStillCopyAnyOtherMap() {
    Map<String, Double> shared = SortedFeatures.of(Map.of("b", 2.0, "a", 1.0));
    Map<String, Double> plain = new HashMap<>(Map.of("b", 2.0, "a", 1.0));

    ExecutionRecord first = record(shared);
    ExecutionRecord retry = first.toBuilder().attempt(2).build();
    ExecutionRecord fromPlain = record(plain);
    plain.put("c", 3.0);

    assertThat(first.features()).isSameAs(shared);
    assertThat(retry.features()).isSameAs(shared);
    assertThat(fromPlain.features()).isNotSameAs(plain).isEqualTo(shared);
    assertThat(List.copyOf(fromPlain.features().keySet())).containsExactly("a", "b");
  }

  @Test
  void argumentFeatures_areAlreadySorted_andEqualToTheDocumentedPair() {
    Map<String, Double> features = ArgumentFeatures.of(12345);

    assertThat(SortedFeatures.of(features)).isSameAs(features);
    assertThat(features)
        .isEqualTo(Map.of(ArgumentFeatures.BYTES, 5.0, ArgumentFeatures.COUNT, 1.0));
    assertThat(List.copyOf(features.keySet()))
        .containsExactly(ArgumentFeatures.BYTES, ArgumentFeatures.COUNT);
  }

  private static ExecutionRecord record(Map<String, Double> features) {
    return ExecutionRecord.builder()
        .tool("t")
        .callId("c")
        .start(Instant.EPOCH)
        .status(CallStatus.SUCCEEDED)
        .features(features)
        .build();
  }
}
