package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;

/** The id under which a record is stored. */
public final class RecordIds {

  private RecordIds() {}

  /**
   * The record's id: its trace id, a dash, and its span id ({@code
   * 4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7}) for a call's final record; an earlier
   * attempt of the same call (which shares the span) adds a dash and its attempt number ({@code
   * ...-00f067aa0ba902b7-1}). A span is unique within its trace, so the same attempt always maps to
   * the same id and appending it twice stores it once.
   */
  public static String of(ExecutionRecord record) {
    String id = record.traceId() + "-" + record.spanId();
    return record.finalAttempt() ? id : id + "-" + record.attempt();
  }
}
