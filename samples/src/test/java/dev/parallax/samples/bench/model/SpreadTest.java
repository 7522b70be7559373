package dev.parallax.samples.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void of_medianMinMax_andTheRepeatsInRunOrder() {
    Spread spread = Spread.of(new double[] {1.3, 0.9, 1.1, 2.4, 1.0});
    assertThat(spread.median()).isEqualTo(1.1);
    assertThat(spread.min()).isEqualTo(0.9);
    assertThat(spread.max()).isEqualTo(2.4);
    assertThat(spread.repeats()).containsExactly(1.3, 0.9, 1.1, 2.4, 1.0);
    assertThat(spread).hasToString("1.10 [0.90..2.40]");
  }

  @Test
  void of_evenCount_medianIsTheMeanOfTheMiddleTwo() {
    assertThat(Spread.of(new double[] {4, 1, 3, 2}).median()).isEqualTo(2.5);
  }

  @Test
  void noRepeats_isAnError() {
    assertThatThrownBy(() -> Spread.of(new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one repeat");
    assertThatThrownBy(() -> new Spread(1, 1, 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void json_namesMedianMinMaxAndRepeats() {
    JsonNode node = new ObjectMapper().valueToTree(Spread.of(new double[] {2, 1, 3}));
    assertThat(node.path("median").asDouble()).isEqualTo(2);
    assertThat(node.path("min").asDouble()).isEqualTo(1);
    assertThat(node.path("max").asDouble()).isEqualTo(3);
    assertThat(node.path("repeats").size()).isEqualTo(3);
    assertThat(node.size()).isEqualTo(4);
  }
}
