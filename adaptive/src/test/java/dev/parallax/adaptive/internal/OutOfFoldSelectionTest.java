package dev.parallax.adaptive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OutOfFoldSelectionTest {

  private static Row row(String group) {
    return new Row(
        "t", new String[] {"tool=t"}, new double[] {1}, 0, true, Double.NaN, Double.NaN, 0, group);
  }

  private static List<Row> rows(int n, String group) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(row(group));
    }
    return rows;
  }

  @Test
  void timeBlocks_areContiguousAndEven() {
    int[] fold = OutOfFoldSelection.folds(rows(103, ""), 5, false);
    int[] size = new int[5];
    for (int i = 0; i < fold.length; i++) {
      size[fold[i]]++;
      if (i > 0) {
        assertThat(fold[i]).isBetween(fold[i - 1], fold[i - 1] + 1);
      }
    }
    assertThat(java.util.Arrays.stream(size).boxed())
        .allSatisfy(s -> assertThat(s).isBetween(20, 21));
  }

  @Test
  void groupedFolds_keepEveryGroupWhole_andBalanceBySize() {
    List<Row> rows = new ArrayList<>();
    int[] sizes = {50, 40, 30, 20, 10, 10, 10};
    for (int g = 0; g < sizes.length; g++) {
      rows.addAll(rows(sizes[g], "g" + g));
    }
    java.util.Collections.shuffle(rows, new java.util.Random(1));
    int[] fold = OutOfFoldSelection.folds(rows, 5, true);
    Map<String, Set<Integer>> foldsOfGroup = new HashMap<>();
    int[] load = new int[5];
    for (int i = 0; i < fold.length; i++) {
      foldsOfGroup.computeIfAbsent(rows.get(i).group(), g -> new HashSet<>()).add(fold[i]);
      load[fold[i]]++;
    }
    assertThat(foldsOfGroup.values()).allSatisfy(f -> assertThat(f).hasSize(1));
    // largest first into the emptiest fold: 50 | 40 | 30 | 20+10 | 10+10
    assertThat(load).containsExactlyInAnyOrder(50, 40, 30, 30, 20);
  }

  @Test
  void groupedFolds_fewerGroupsThanFolds_oneFoldPerGroup() {
    List<Row> rows = new ArrayList<>(rows(30, "a"));
    rows.addAll(rows(20, "b"));
    rows.addAll(rows(10, "c"));
    int[] fold = OutOfFoldSelection.folds(rows, 5, true);
    assertThat(java.util.Arrays.stream(fold).distinct().count()).isEqualTo(3);
  }

  @Test
  void groupedFolds_oneGroupOnly_fallsBackToTimeBlocks() {
    int[] fold = OutOfFoldSelection.folds(rows(50, "only"), 5, true);
    assertThat(java.util.Arrays.stream(fold).distinct().count()).isEqualTo(5);
    assertThat(fold[0]).isZero();
    assertThat(fold[49]).isEqualTo(4);
  }
}
