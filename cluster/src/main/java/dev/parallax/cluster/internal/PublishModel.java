package dev.parallax.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.HashMap;
import java.util.Map;

/**
 * Stores a new model with the next version number, atomically on the partition owning the models'
 * key (and its backup), so versions never repeat whichever member trains. Returns the version.
 * Internal; may change at any time.
 */
public final class PublishModel implements EntryProcessor<String, ModelVersion, Long> {

  @Serial private static final long serialVersionUID = 1L;

  private final String trainer;
  private final long records;
  private final HashMap<String, byte[]> files;

  /**
   * Publishes model files.
   *
   * @param trainer the UUID of the member that trained them
   * @param records how many records of the cluster's stream it had received when it trained
   * @param files the files by name
   */
  public PublishModel(String trainer, long records, Map<String, byte[]> files) {
    this.trainer = trainer;
    this.records = records;
    this.files = new HashMap<>(files);
  }

  @Override
  public Long process(Map.Entry<String, ModelVersion> entry) {
    long next = entry.getValue() == null ? 1 : entry.getValue().version() + 1;
    entry.setValue(new ModelVersion(next, trainer, records, files));
    return next;
  }
}
