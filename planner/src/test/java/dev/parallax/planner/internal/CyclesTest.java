package dev.parallax.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cycles in messages stay short (issue 11, item 16). */
class CyclesTest {

  @Test
  void shortCycle_isListedWhole() {
    assertThat(Cycles.describe(List.of("a", "b", "a"), "tools")).isEqualTo("a -> b -> a");
  }

  @Test
  void longCycle_showsTheEndsAndTheCount() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1_000_000; i++) {
      ids.add("t" + i);
    }
    ids.add("t0");

    assertThat(Cycles.describe(ids, "tools"))
        .isEqualTo(
            "1000000 tools: t0 -> t1 -> t2 -> t3 -> t4 -> … 999991 tools … -> t999996 -> t999997"
                + " -> t999998 -> t999999 -> t0");
  }
}
