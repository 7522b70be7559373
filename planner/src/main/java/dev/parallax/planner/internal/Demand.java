package dev.parallax.planner.internal;

import java.util.Arrays;

/**
 * What one call of a tool takes from a shared scheduler: one slot of the capacity, one slot of its
 * lane, and units of named resources. Equal demands are interchangeable: a grant made for one call
 * may be claimed by another call of the same run with an equal demand. Internal; may change at any
 * time.
 */
final class Demand {

  final String tool;
  final int lane;
  final int[] resources;
  final int[] units;

  Demand(String tool, int lane, int[] resources, int[] units) {
    this.tool = tool;
    this.lane = lane;
    this.resources = resources;
    this.units = units;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Demand d
        && lane == d.lane
        && Arrays.equals(resources, d.resources)
        && Arrays.equals(units, d.units);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * lane + Arrays.hashCode(resources)) + Arrays.hashCode(units);
  }

  @Override
  public String toString() {
    return "Demand[" + tool + ", lane " + lane + ", " + Arrays.toString(units) + "]";
  }
}
