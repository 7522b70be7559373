package dev.parallax.storage;

import java.util.List;

/**
 * What an {@linkplain ExecutionHistoryStore#append append} did.
 *
 * @param accepted how many records were stored (a record given twice in one batch counts once)
 * @param rejected the records refused, each with its reason
 */
public record AppendResult(int accepted, List<Rejection> rejected) {

  /** Copies the list. */
  public AppendResult {
    if (accepted < 0) {
      throw new IllegalArgumentException("accepted must be >= 0, was " + accepted);
    }
    rejected = List.copyOf(rejected);
  }
}
