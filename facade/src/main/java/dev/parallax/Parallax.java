package dev.parallax;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.ModelFileException;
import dev.parallax.cluster.learning.SharedLearning;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ArgumentFeatures;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.storage.BufferedHistoryWriter;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.telemetry.ParallaxTelemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Everything wired together: an executor whose calls are traced, recorded into history, learnt
 * from, scheduled along the critical path, cached and, if declared, swapped for alternatives.
 *
 * <pre>{@code
 * try (Parallax parallax = Parallax.builder().historyDirectory(Path.of("history")).build()) {
 *   RunResult run = parallax.executor().executeGraph(graph);
 * }
 * }</pre>
 *
 * <p>The module {@code dev.parallax} (artifact {@code parallax-facade}) is the one dependency for
 * users who want everything; each capability is also usable on its own from its module.
 *
 * <p>The data flow: the engine emits an execution record per attempt and per call that never
 * started to the record processor of {@link ParallaxTelemetry} (its spans and metrics are views of
 * the same facts); each record goes to the {@link AdaptivePredictor} (which retrains in the
 * background on its own thread) and, through a {@link BufferedHistoryWriter}, to the history store.
 * At build time the predictor warm-starts from the history (and from saved model files, if a model
 * directory is set). The executor schedules with {@link CriticalPathScheduling} on the predictor's
 * estimates.
 *
 * <p>Defaults, each replaceable on the builder: history in memory, for the life of this instance
 * (nothing is written to disk but spilled records, in a temporary directory; {@link
 * ParallaxBuilder#historyDirectory} keeps it on disk in an embedded store, {@link
 * ParallaxBuilder#historyStore} uses another store such as Chroma); telemetry with no exporter; a
 * predictor with its defaults (closed with this instance, which stops its training thread);
 * critical-path scheduling; core's fixed concurrency limits (adaptive limits with {@link
 * ParallaxBuilder#adaptiveConcurrency}); a Caffeine result cache for tools declared cacheable and
 * idempotent; no fallbacks unless given. Parts handed in are used as they are and are not closed by
 * {@link #close()}; parts built here are.
 *
 * <p><b>History keeps every call.</b> No record is dropped on its way to the store: when records
 * come faster than they are handled, the threads ending calls wait for the record subscribers (see
 * {@link dev.parallax.telemetry.record.ExecutionRecordProcessor}); the history writer keeps a
 * bounded buffer in memory and spills the overflow to disk — into a {@code spill} directory inside
 * the embedded store's directory, a temporary directory for other stores, or {@link
 * ParallaxBuilder#historySpillDirectory} — and delivers it when the store catches up, recovers, or
 * at the next start. Back-pressure, spilling and any loss are logged once per episode and exported
 * as metrics ({@code parallax.records.*}, {@code parallax.history.*}) through the telemetry's meter
 * provider.
 *
 * <p>{@link #close()} stops the executor (cancelling runs still going), flushes the spans and the
 * records into history — waiting as long as the store makes progress, see {@link
 * ParallaxBuilder#historyCloseTimeout} —, saves the models if a model directory is set, and stops
 * every thread it started. Thread-safe.
 */
public final class Parallax implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Parallax.class.getName());

  /** The features the default embedded store indexes records by. */
  public static final List<String> DEFAULT_VECTOR_FEATURES =
      List.of(ArgumentFeatures.BYTES, ArgumentFeatures.COUNT);

  private final ToolExecutor executor;
  private final ParallaxTelemetry telemetry;
  private final AdaptivePredictor predictor;
  private final @Nullable SharedLearning sharedLearning;
  private final ExecutionHistoryStore history;
  private final BufferedHistoryWriter writer;
  private final @Nullable Path modelDirectory;
  private final long warmStartRecords;
  private final Deque<AutoCloseable> owned;

  Parallax(
      ToolExecutor executor,
      ParallaxTelemetry telemetry,
      AdaptivePredictor predictor,
      @Nullable SharedLearning sharedLearning,
      ExecutionHistoryStore history,
      BufferedHistoryWriter writer,
      @Nullable Path modelDirectory,
      long warmStartRecords,
      Deque<AutoCloseable> owned) {
    this.executor = executor;
    this.telemetry = telemetry;
    this.predictor = predictor;
    this.sharedLearning = sharedLearning;
    this.history = history;
    this.writer = writer;
    this.modelDirectory = modelDirectory;
    this.warmStartRecords = warmStartRecords;
    this.owned = owned;
  }

  /** A builder with the defaults described above. */
  public static ParallaxBuilder builder() {
    return new ParallaxBuilder();
  }

  /** The executor to run calls with. */
  public ToolExecutor executor() {
    return executor;
  }

  /** The predictor learning from every call. */
  public AdaptivePredictor predictor() {
    return predictor;
  }

  /**
   * The shared learning the {@link #predictor()} belongs to, when this instance runs on a cluster
   * with learning shared (see {@link ParallaxBuilder#cluster}); empty otherwise. Closed with this
   * instance.
   */
  public Optional<SharedLearning> sharedLearning() {
    return Optional.ofNullable(sharedLearning);
  }

  /** The telemetry every call is traced with. */
  public ParallaxTelemetry telemetry() {
    return telemetry;
  }

  /** The history store records are written to. */
  public ExecutionHistoryStore history() {
    return history;
  }

  /** The writer that puts records into history (its counters tell what was delivered). */
  public BufferedHistoryWriter historyWriter() {
    return writer;
  }

  /** How many history records the predictor read at build time. */
  public long warmStartRecords() {
    return warmStartRecords;
  }

  /**
   * Waits until every call finished so far is in the history store (or {@code timeout} passed).
   *
   * @return whether everything was delivered in time
   */
  public boolean flushHistory(Duration timeout) {
    flush(telemetry, timeout);
    try {
      return writer.flush(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void flush(ParallaxTelemetry telemetry, Duration timeout) {
    telemetry
        .sdk()
        .getSdkTracerProvider()
        .forceFlush()
        .join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    telemetry.records().forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops, flushes and saves as described in the class comment. Idempotent. */
  @Override
  public synchronized void close() {
    executor.close();
    if (modelDirectory != null && predictor.trainings() > 0) {
      try {
        predictor.save(modelDirectory);
      } catch (ModelFileException e) {
        LOG.log(Level.WARNING, "cannot save the models into " + modelDirectory, e);
      }
    }
    while (!owned.isEmpty()) {
      AutoCloseable part = owned.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "cannot close " + part, e);
      }
    }
  }
}
