package dev.parallax.core.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable copy of a call's features, sorted by name: what {@link
 * dev.parallax.core.record.ExecutionRecord#features()} holds. Made once per call by the engine, on
 * the attempt's thread, so that the records of all its attempts share it instead of each copying
 * the features (a record takes a {@code SortedFeatures} as it is). Two sorted arrays rather than a
 * tree: a call has a handful of features, and entries are made only when someone iterates. Null
 * names are rejected (as a {@link java.util.TreeMap} would), null values kept. Thread-safe.
 * Internal; may change at any time.
 */
public final class SortedFeatures extends AbstractMap<String, Double> {

  private final String[] names;
  private final @Nullable Double[] values;

  private SortedFeatures(String[] names, @Nullable Double[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * {@code features} as an immutable map sorted by name; itself if it is one already.
   *
   * @throws NullPointerException if a name is null
   */
  public static Map<String, Double> of(Map<String, Double> features) {
    if (features instanceof SortedFeatures) {
      return features;
    }
    int n = features.size();
    if (n == 0) {
      return Map.of();
    }
    String[] names = new String[n];
    @Nullable Double[] values = new Double[n];
    int i = 0;
    for (Map.Entry<String, Double> e : features.entrySet()) {
      if (i == n) {
        throw new IllegalArgumentException("features changed while they were copied");
      }
      names[i] = Objects.requireNonNull(e.getKey(), "feature name");
      values[i] = e.getValue();
      i++;
    }
    if (i != n) {
      throw new IllegalArgumentException("features changed while they were copied");
    }
    sort(names, values);
    return new SortedFeatures(names, values);
  }

  /**
   * Two features whose names are already in order: no copy, no sorting.
   *
   * @throws IllegalArgumentException if {@code first} does not sort before {@code second}
   */
  public static Map<String, Double> ofSorted(
      String first, Double firstValue, String second, Double secondValue) {
    if (first.compareTo(second) >= 0) {
      throw new IllegalArgumentException(first + " does not sort before " + second);
    }
    return new SortedFeatures(
        new String[] {first, second}, new @Nullable Double[] {firstValue, secondValue});
  }

  /* Insertion sort of both arrays by name: a call has a handful of features. */
  private static void sort(String[] names, @Nullable Double[] values) {
    for (int i = 1; i < names.length; i++) {
      String name = names[i];
      Double value = values[i];
      int j = i - 1;
      while (j >= 0 && names[j].compareTo(name) > 0) {
        names[j + 1] = names[j];
        values[j + 1] = values[j];
        j--;
      }
      names[j + 1] = name;
      values[j + 1] = value;
    }
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public @Nullable Double get(@Nullable Object key) {
    int i = indexOf(key);
    return i >= 0 ? values[i] : null;
  }

  private int indexOf(@Nullable Object key) {
    return key instanceof String name ? Arrays.binarySearch(names, name) : -1;
  }

  @Override
  public Set<Entry<String, Double>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.length;
      }

      @Override
      public Iterator<Entry<String, Double>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Entry<String, Double> next() {
            if (next >= names.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(names[i], values[i]);
          }
        };
      }
    };
  }
}
