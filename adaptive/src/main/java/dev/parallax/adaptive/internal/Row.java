package dev.parallax.adaptive.internal;

/**
 * One encoded training row: features as the model sees them, the targets, and what the baseline
 * predicted for it before it was seen (for the held-out comparison).
 *
 * <p>Internal: may change at any time.
 *
 * @param tool the tool
 * @param names feature names, sorted
 * @param values feature values
 * @param logLatency natural log of the latency in seconds
 * @param success whether the call succeeded
 * @param baselineLogLatency the baseline's log latency before this row, NaN if the tool was new
 * @param baselineSuccess the baseline's success rate before this row, NaN if the tool was new
 * @param endMillis when the call ended, epoch milliseconds
 * @param group what the row belongs to for grouped folds (the record's run id), {@code ""} if none
 */
public record Row(
    String tool,
    String[] names,
    double[] values,
    double logLatency,
    boolean success,
    double baselineLogLatency,
    double baselineSuccess,
    long endMillis,
    String group) {}
