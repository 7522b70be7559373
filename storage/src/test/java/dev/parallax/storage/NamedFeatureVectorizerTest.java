package dev.parallax.storage;

import static dev.parallax.storage.testing.Records.T0;
import static dev.parallax.storage.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedFeatureVectorizerTest {

  @Test
  void vectorize_takesNamedFeaturesInOrder_missingIsZero_othersIgnored() {
    NamedFeatureVectorizer v = FeatureVectorizer.of(List.of("b", "a", "missing"));

    float[] vector = v.vectorize(record(1, "t", T0, Map.of("a", 1.5, "b", -2.0, "ignored", 9.0)));

    assertThat(vector).containsExactly(-2.0f, 1.5f, 0f);
    assertThat(v.dimension()).isEqualTo(3);
  }

  @Test
  void log1p_scalesMagnitudeKeepingTheSign() {
    NamedFeatureVectorizer v = FeatureVectorizer.log1p(List.of("big", "neg", "zero"));

    float[] vector = v.vectorize(record(1, "t", T0, Map.of("big", 1e6, "neg", -9.0, "zero", 0.0)));

    assertThat(vector[0]).isEqualTo((float) Math.log1p(1e6));
    assertThat(vector[1]).isEqualTo((float) -Math.log1p(9));
    assertThat(vector[2]).isZero();
  }

  @Test
  void sameNamesAndScaling_areEqualVectorizers() {
    assertThat(FeatureVectorizer.of(List.of("a", "b")))
        .isEqualTo(FeatureVectorizer.of(List.of("a", "b")));
    assertThat(FeatureVectorizer.of(List.of("a", "b")))
        .isNotEqualTo(FeatureVectorizer.log1p(List.of("a", "b")));
    assertThat(FeatureVectorizer.of(List.of("a", "b")))
        .isNotEqualTo(FeatureVectorizer.of(List.of("b", "a")));
  }

  @Test
  void noNamesOrDuplicateNames_areRefused() {
    assertThatThrownBy(() -> FeatureVectorizer.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FeatureVectorizer.of(List.of("a", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[a, a]");
  }

  @Test
  void recordId_isTraceIdDashSpanId() {
    var r = record(6, "t");
    assertThat(r.finalAttempt()).isTrue();
    assertThat(RecordIds.of(r)).isEqualTo(r.traceId() + "-" + r.spanId());
  }

  @Test
  void recordId_ofAnEarlierAttempt_addsItsNumber() {
    var r = record(6, "t").toBuilder().attempt(2).attempts(2).finalAttempt(false).build();
    assertThat(RecordIds.of(r)).isEqualTo(r.traceId() + "-" + r.spanId() + "-2");
  }
}
