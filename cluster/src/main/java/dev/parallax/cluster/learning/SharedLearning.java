package dev.parallax.cluster.learning;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.ringbuffer.impl.RingbufferService;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.ReliableMessageListener;
import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.ModelFileException;
import dev.parallax.cluster.ParallaxCluster;
import dev.parallax.cluster.internal.ModelVersion;
import dev.parallax.cluster.internal.Names;
import dev.parallax.cluster.internal.PublishModel;
import dev.parallax.cluster.internal.SharedRecord;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.record.ExecutionRecordSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/*
 * Records: every member publishes the records of its executor (the record sink) to one Hazelcast
 * reliable topic (a ring buffer with a backup); every member subscribes and feeds every record, in
 * the topic's single order, to its own AdaptivePredictor. So every member has the same window and
 * the same per-tool moving averages, but none trains by itself: the predictor is built with
 * retrainEvery = Integer.MAX_VALUE and a training executor that runs on the caller's thread.
 *
 * Training: the trainer is the oldest member (the first in Hazelcast's member list, which is the
 * master); every retrainEvery records received it retrains on its own single "trainer" thread, saves
 * the model files and publishes their bytes into an IMap entry with an entry processor that gives
 * them the next version. When the trainer leaves (or crashes), the next oldest member is the
 * trainer: it has received the same records, and it trains at once if records arrived since the
 * last published version.
 *
 * Loading: every member (the trainer included) listens to the models entry; a new version is
 * written to a temporary directory and loaded into its predictor (AdaptivePredictor.load checks the
 * files' checksums), so all members predict with the same model version.
 */
/**
 * Shared learning on a cluster: the execution records of every member feed one model; one member
 * (the oldest) trains it and every member loads each new version.
 *
 * <p>Register it with {@code ToolExecutor.Builder.recordSink(learning)} and use {@link
 * #predictor()} as the executor's predictor. Every member starts one, with the same settings. The
 * records travel through a Hazelcast reliable topic ({@code parallax.records}; a member that falls
 * more than its ring buffer's capacity, 10,000 by default, behind skips the records it missed); raw
 * arguments do not travel. Model versions are numbered 1, 2, ... across the cluster. When the
 * trainer leaves, the next oldest member trains from then on. Thread-safe.
 */
public final class SharedLearning implements ExecutionRecordSink, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SharedLearning.class.getName());

  private final HazelcastInstance hz;
  private final String me;
  private final AdaptivePredictor predictor;
  private final int retrainEvery;
  private final ITopic<SharedRecord> records;
  private final IMap<String, ModelVersion> models;
  private final UUID topicListener;
  private final UUID modelListener;
  private final UUID membershipListener;
  private final ExecutorService trainer;
  private final Map<String, AtomicLong> receivedFrom = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong receivedAtLastTraining = new AtomicLong();
  private final AtomicLong loadedVersion = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile String loadedFrom = "";

  private SharedLearning(ParallaxCluster cluster, AdaptivePredictor.Builder builder, int every) {
    this.hz = cluster.hazelcast();
    this.me = cluster.memberId().toString();
    this.retrainEvery = every;
    this.predictor =
        builder.retrainEvery(Integer.MAX_VALUE).trainingExecutor(Runnable::run).build();
    this.trainer =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("parallax-trainer").factory());
    this.records = hz.getReliableTopic(Names.RECORDS);
    this.models = hz.getMap(Names.MODELS);
    this.modelListener = models.addEntryListener(new ModelListener(), Names.MODEL_KEY, true);
    ModelVersion current = models.get(Names.MODEL_KEY);
    if (current != null) {
      load(current);
    }
    // the first record to hear, fixed now: with "from the next record" (-1) the listener reads the
    // tail only when its runner starts, asynchronously, and records published meanwhile were lost
    // (a member whose calls ran at once after start could leave the trainer short of a training)
    long first =
        hz.getRingbuffer(RingbufferService.TOPIC_RB_PREFIX + Names.RECORDS).tailSequence() + 1;
    this.topicListener = records.addMessageListener(new RecordListener(first));
    this.membershipListener = hz.getCluster().addMembershipListener(new Handover());
  }

  /**
   * Starts shared learning on this member.
   *
   * @param cluster this member
   * @param predictor the settings of the predictor (its {@code retrainEvery} and training executor
   *     are replaced: the trainer trains every {@code retrainEvery} records of the whole cluster,
   *     on a thread of its own)
   * @param retrainEvery records received between two trainings
   * @throws IllegalArgumentException if {@code retrainEvery} is below 1
   */
  public static SharedLearning start(
      ParallaxCluster cluster, AdaptivePredictor.Builder predictor, int retrainEvery) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(predictor, "predictor");
    if (retrainEvery < 1) {
      throw new IllegalArgumentException("retrainEvery must be >= 1, was " + retrainEvery);
    }
    return new SharedLearning(cluster, predictor, retrainEvery);
  }

  /**
   * Sends a record to every member (the trainer learns from it; every member's moving averages
   * too). Quick: the send is asynchronous; a failed send is logged and counted.
   */
  @Override
  public void accept(ExecutionRecord record) {
    try {
      records
          .publishAsync(new SharedRecord(me, record))
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  fail("publishing a record", e);
                }
              });
    } catch (RuntimeException e) {
      fail("publishing a record", e);
    }
  }

  /** The predictor of this member, to pass to the executor: it predicts with the shared model. */
  public AdaptivePredictor predictor() {
    return predictor;
  }

  /** Whether this member trains now (it is the oldest member). */
  public boolean isTrainer() {
    Member oldest = hz.getCluster().getMembers().iterator().next();
    return oldest.localMember();
  }

  /** The version of the model this member loaded last; 0 before any. */
  public long modelVersion() {
    return loadedVersion.get();
  }

  /** The UUID of the member that trained the model loaded last; empty before any. */
  public String modelTrainer() {
    return loadedFrom;
  }

  /** Records this member has received, from all members. */
  public long recordsReceived() {
    return received.get();
  }

  /** Records this member has received that were made on the member with this UUID. */
  public long recordsReceivedFrom(UUID member) {
    AtomicLong n = receivedFrom.get(member.toString());
    return n == null ? 0 : n.get();
  }

  /**
   * Model versions this member has trained and published (a publication counts from when it starts,
   * so once any member has loaded a version, its trainer's count includes it).
   */
  public long modelsPublished() {
    return published.get();
  }

  /** Failures (a record not sent, a model not trained, saved or loaded), each logged. */
  public long failures() {
    return failures.get();
  }

  private final class RecordListener implements ReliableMessageListener<SharedRecord> {
    private final long first;

    RecordListener(long first) {
      this.first = first;
    }

    @Override
    public void onMessage(Message<SharedRecord> message) {
      try {
        SharedRecord r = message.getMessageObject();
        predictor.accept(r.toRecord());
        receivedFrom.computeIfAbsent(r.member(), k -> new AtomicLong()).incrementAndGet();
        long n = received.incrementAndGet();
        if (n - receivedAtLastTraining.get() >= retrainEvery && isTrainer()) {
          trainSoon();
        }
      } catch (Throwable e) {
        fail("learning from a record", e);
      }
    }

    @Override
    public long retrieveInitialSequence() {
      return first; // every record published since this member started learning
    }

    @Override
    public void storeSequence(long sequence) {}

    @Override
    public boolean isLossTolerant() {
      return true; // fell behind the ring buffer: skip what was overwritten, keep listening
    }

    @Override
    public boolean isTerminal(Throwable failure) {
      return false;
    }
  }

  private final class ModelListener
      implements EntryAddedListener<String, ModelVersion>,
          EntryUpdatedListener<String, ModelVersion> {
    @Override
    public void entryAdded(EntryEvent<String, ModelVersion> event) {
      load(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, ModelVersion> event) {
      load(event.getValue());
    }
  }

  /** A new oldest member trains at once if records came since the last training. */
  private final class Handover implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {}

    @Override
    public void memberRemoved(MembershipEvent event) {
      if (hz.getLifecycleService().isRunning() && isTrainer()) {
        trainSoon();
      }
    }
  }

  private void trainSoon() {
    try {
      trainer.execute(this::trainAndPublish);
    } catch (RuntimeException e) {
      // closed
    }
  }

  private void trainAndPublish() {
    long at = received.get();
    if (at <= receivedAtLastTraining.get() || !isTrainer()) {
      return; // nothing new, or no longer the trainer
    }
    receivedAtLastTraining.accumulateAndGet(at, Math::max);
    Path dir = null;
    try {
      long before = predictor.trainings();
      predictor.retrain(); // runs here: the training executor is the caller
      if (predictor.trainings() == before) {
        return; // not enough rows yet, or the training failed (counted by the predictor)
      }
      dir = Files.createTempDirectory("parallax-model-");
      try {
        predictor.save(dir);
      } catch (ModelFileException e) {
        LOG.log(Level.FINE, "nothing trained yet (too few rows): nothing to publish", e);
        return;
      }
      Map<String, byte[]> files = new HashMap<>();
      try (Stream<Path> list = Files.list(dir)) {
        for (Path f : list.toList()) {
          files.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
      }
      // counted before the publication: a member that has loaded this version (its listener may
      // run before executeOnKey returns here) never sees the trainer's count behind it
      published.incrementAndGet();
      try {
        models.executeOnKey(Names.MODEL_KEY, new PublishModel(me, at, files));
      } catch (Throwable e) {
        published.decrementAndGet();
        throw e;
      }
    } catch (Throwable e) {
      fail("training and publishing a model", e);
    } finally {
      delete(dir);
    }
  }

  private synchronized void load(ModelVersion model) {
    if (model.version() <= loadedVersion.get()) {
      return;
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("parallax-model-");
      for (Map.Entry<String, byte[]> f : model.files().entrySet()) {
        Files.write(dir.resolve(f.getKey()), f.getValue());
      }
      predictor.load(dir);
      // every member receives the same stream: the next training is due retrainEvery records on
      receivedAtLastTraining.accumulateAndGet(model.records(), Math::max);
      loadedFrom = model.trainer();
      loadedVersion.set(model.version());
    } catch (Throwable e) {
      fail("loading model version " + model.version(), e);
    } finally {
      delete(dir);
    }
  }

  private void fail(String what, Throwable e) {
    failures.incrementAndGet();
    LOG.log(Level.WARNING, "shared learning: " + what + " failed", e);
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory: nothing more to do
    }
  }

  /** Stops listening and training, and closes the predictor. Does not leave the cluster. */
  @Override
  public void close() {
    trainer.shutdownNow();
    try {
      if (hz.getLifecycleService().isRunning()) {
        records.removeMessageListener(topicListener);
        models.removeEntryListener(modelListener);
        hz.getCluster().removeMembershipListener(membershipListener);
      }
    } catch (RuntimeException e) {
      // the member is going: its listeners go with it
    }
    predictor.close();
  }
}
