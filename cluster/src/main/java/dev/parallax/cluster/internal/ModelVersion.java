package dev.parallax.cluster.internal;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * One published model: its version (1, 2, ... across the cluster, whichever member trained it), the
 * UUID of the member that trained it, how many records it had received, and the model files by
 * name. Immutable. Internal; may change at any time.
 */
public final class ModelVersion implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final long version;
  private final String trainer;
  private final long records;
  private final HashMap<String, byte[]> files;

  ModelVersion(long version, String trainer, long records, Map<String, byte[]> files) {
    this.version = version;
    this.trainer = trainer;
    this.records = records;
    this.files = new HashMap<>(files);
  }

  /** The version: one more than the version published before it. */
  public long version() {
    return version;
  }

  /** The UUID of the member that trained it. */
  public String trainer() {
    return trainer;
  }

  /** How many records of the cluster's stream the trainer had received when it trained. */
  public long records() {
    return records;
  }

  /** The model files by name (shared arrays: do not change them). */
  public Map<String, byte[]> files() {
    return files;
  }
}
