package dev.parallax.storage;

/**
 * A record that a store refused to keep.
 *
 * @param recordId the record's {@linkplain RecordIds id}
 * @param tool the record's tool
 * @param callId the record's call id
 * @param reason what is wrong with it
 */
public record Rejection(String recordId, String tool, String callId, String reason) {

  /** A sentence naming the record and the reason, for logs and exceptions. */
  public String message() {
    return "record " + recordId + " (tool " + tool + ", call " + callId + ") rejected: " + reason;
  }
}
