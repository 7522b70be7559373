package dev.parallax.adaptive;

import dev.parallax.adaptive.internal.FeatureEncoder;
import dev.parallax.adaptive.internal.KnnIndex;
import dev.parallax.adaptive.internal.ModelFiles;
import dev.parallax.adaptive.internal.ModelTraining;
import dev.parallax.adaptive.internal.Row;
import dev.parallax.adaptive.internal.StoreEstimates;
import dev.parallax.adaptive.internal.ToolBaselines;
import dev.parallax.adaptive.internal.TrainedModels;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.core.record.RecordPage;
import dev.parallax.core.record.RecordSource;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Predicts each call's latency and chance of success from execution records, behind core's {@link
 * Predictor} seam.
 *
 * <p>Every accepted {@link ExecutionRecord} updates a per-tool exponentially weighted moving
 * average of log latency and of success (the <em>baseline</em>) and joins a sliding window (by
 * count and by age, measured from the newest record). Every {@code retrainEvery} records, a latency
 * regression (on log latency) and a logistic success classifier are retrained with Tribuo on the
 * window, on the injected executor, and swapped in atomically. The newest part of the window is
 * held out: a model is used only where it beat the baseline there with confidence ({@link
 * #report()}).
 *
 * <p><b>Models and the gate.</b> Each latency candidate ({@link Builder#latencyModels}, by default
 * linear SGD, a CART tree and k nearest neighbours over the tool's own past calls) is trained on
 * the log latency (the Tribuo ones also on its deviation from the tool's moving average), and may
 * be shrunk halfway toward that average. By default ({@link Builder#folds}, 5) every call of the
 * window is scored out of fold: the window is cut into 5 blocks of consecutive calls (or, with
 * {@link Builder#foldsByRun}, into whole runs), and each candidate trained on the other blocks
 * predicts the block. For each block and tool the candidate is chosen on other blocks (the
 * neighbouring ones; with runs, all others), so a call plays no part in choosing the candidate it
 * is scored with. The chosen model answers for a tool only if there are at least {@link
 * Builder#gate gateMinRows} (default 30) of the tool's calls scored this way, the 95% paired
 * bootstrap interval of its error over the moving average's lies wholly below {@code 1 - margin}
 * (default 0.02), and the same interval against the tool's mean over the training blocks lies
 * wholly below 1. With runs, both intervals resample whole runs rather than calls (the calls of a
 * run are not independent evidence), and a model confidently worse than the tool's mean on the runs
 * of any one block is refused. It then answers with the candidate best on the newest block (with
 * runs: on every call), refitted on the whole window; a k-nearest-neighbour model answers only for
 * calls whose k-th nearest past call is no farther than it was for the calls its gate scored, and
 * the moving average answers the others (a call unlike anything the gate saw). Otherwise the moving
 * average answers for the tool. With {@code folds(0)} the newest {@link Builder#heldOutFraction} is
 * held out instead, each tool's held-out calls split alternately into a validation half (choice)
 * and a test half (gate). The success classifier answers only if the interval of its Brier score
 * over the baseline's, on all held-out calls, lies below {@code 1 - margin}. Every training decides
 * again; {@link ModelReport#latencyByTool()} says what was chosen and why.
 *
 * <p>Which source answers ({@link Prediction#source()}): {@value #MODEL} where a used model knows
 * the tool, else {@value #BASELINE} where the tool has been seen, else {@value #PRIOR}. When
 * latency and success come from different sources the source reads {@code "latency/success"}, for
 * example {@code "model/baseline"}.
 *
 * <p>It learns from the engine's records, one per attempt: register it with {@code
 * ToolExecutor.Builder.recordSink} (it is an {@link ExecutionRecordSink}), or subscribe it to any
 * stream of records. Latency is learnt per attempt — each attempt's own duration, without back-off
 * or other attempts — and so is success: the success probability is the chance that one attempt of
 * the tool succeeds (a retried failure counts as a failure of that attempt). Records of calls that
 * never started (attempt 0), skipped calls and cache hits carry no information about the tool and
 * are ignored. A cancelled attempt (for example the slower attempt of a hedged call) is a
 * <em>censored</em> sample: its latency was at least the time it ran. It does not move the averages
 * or join the training window, but it moves the upper estimate up when it ran past it, so that
 * hedging does not hide the tail it reacts to.
 *
 * <p>The upper latency ({@link Prediction#upperLatency()}) estimates the 90th percentile of one
 * attempt's latency. From the baseline it is a streaming quantile of the tool's log latency
 * (calibrated whatever the shape of the tail, censored samples included), or the mean plus 1.28
 * standard deviations for a tool's first {@code 1/baselineAlpha} samples; from a model it is the
 * model's prediction plus the 90th percentile of its held-out residuals.
 *
 * <p>Bad records are skipped, never fatal: negative or absurd durations (beyond {@code maxLatency})
 * are counted in {@link #rejected()}; non-finite features are dropped. Predictions are never NaN.
 *
 * <p>Thread-safe. {@link #predict} never blocks and never waits for training; {@link #accept} never
 * waits for training either: a training that is still running (or never finishes) just delays the
 * next one, and one that throws is counted in {@link #trainingFailures()}; in both cases the
 * current models keep serving.
 */
public final class AdaptivePredictor
    implements Predictor, ExecutionRecordSink, Consumer<ExecutionRecord>, AutoCloseable {

  /** Source of a prediction made by a trained model. */
  public static final String MODEL = "model";

  /** Source of a prediction made by the per-tool moving average. */
  public static final String BASELINE = "baseline";

  /** Source of a prediction for a tool never seen. */
  public static final String PRIOR = "prior";

  private static final Logger LOG = Logger.getLogger(AdaptivePredictor.class.getName());
  private static final double MIN_LOG = Math.log(1e-6);

  private final Builder config;
  private final ModelTraining.Settings settings;
  private final double maxLog;
  private final Executor executor;
  private final @Nullable ExecutorService ownExecutor;
  private final ToolBaselines baselines;
  private final @Nullable StoreEstimates storeEstimates;
  private final @Nullable ExecutorService ownNeighbourExecutor;
  private final ArrayDeque<Row> window = new ArrayDeque<>();
  private final AtomicReference<TrainedModels> models =
      new AtomicReference<>(TrainedModels.none("not trained yet"));
  private final AtomicBoolean training = new AtomicBoolean();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong trainings = new AtomicLong();
  private final AtomicLong trainingFailures = new AtomicLong();
  private volatile @Nullable Throwable lastTrainingFailure;
  private long sinceTraining;

  private AdaptivePredictor(Builder b) {
    this.config = b.copy();
    this.settings =
        new ModelTraining.Settings(
            b.minTrainingRows,
            b.heldOutFraction,
            b.epochs,
            b.seed,
            b.types,
            b.gateMinRows,
            b.gateMargin,
            b.folds,
            b.foldsByRun);
    this.maxLog = Math.log(b.maxLatency.toNanos() / 1e9);
    if (b.executor != null) {
      this.ownExecutor = null;
      this.executor = b.executor;
    } else {
      ExecutorService own = trainerThread();
      this.ownExecutor = own;
      this.executor = own;
    }
    this.baselines = new ToolBaselines(b.baselineAlpha);
    if (b.historyNeighbours == null) {
      this.storeEstimates = null;
      this.ownNeighbourExecutor = null;
    } else {
      Executor queries = b.neighbourExecutor;
      this.ownNeighbourExecutor = queries == null ? neighbourThread(b.neighbourQueue) : null;
      this.storeEstimates =
          new StoreEstimates(
              b.historyNeighbours,
              queries != null ? queries : ownNeighbourExecutor,
              b.ticker,
              new StoreEstimates.Settings(
                  b.neighbourCacheSize,
                  b.neighbourRefreshRecords,
                  b.neighbourRefreshAfter,
                  b.neighbourExpireAfter,
                  b.neighbourMinPairs,
                  // the own thread: its queue and the query it runs; a given executor: unbounded
                  queries == null ? b.neighbourQueue + 1 : Integer.MAX_VALUE));
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- records and training

  /**
   * Learns from a finished attempt: updates the baseline, adds it to the window and, every {@code
   * retrainEvery} records, starts a training on the executor. Quick; never blocks on training.
   */
  @Override
  public void accept(ExecutionRecord record) {
    if (record.neverStarted()) {
      return; // no attempt ran: nothing about the tool's latency or success
    }
    if (record.status() == CallStatus.SKIPPED || record.cacheHit()) {
      return;
    }
    Duration d = record.duration();
    if (d.isNegative() || d.compareTo(config.maxLatency) > 0) {
      rejected.incrementAndGet();
      return;
    }
    if (record.status() == CallStatus.CANCELLED) {
      if (d.isPositive()) { // ran at least this long: a lower bound for the upper estimate
        baselines.censored(record.tool(), Math.max(MIN_LOG, Math.log(d.toNanos() / 1e9)));
      }
      return;
    }
    double logLatency = Math.max(MIN_LOG, Math.log(d.toNanos() / 1e9));
    boolean success = record.succeeded();
    CallFeatures features = CallFeatures.of(record);
    ToolBaselines.Stats before =
        baselines.update(record.tool(), logLatency, success, record.inFlight());
    FeatureEncoder.Encoded encoded = FeatureEncoder.encode(features, before);
    StoreEstimates estimates = storeEstimates;
    if (estimates != null) {
      KnnIndex index = models.get().chosenNeighbours(record.tool());
      if (index != null) {
        estimates.scored(
            record.tool(),
            features.numeric(),
            index.k(),
            index.predict(encoded.names(), encoded.values()),
            logLatency);
      }
      estimates.recorded(record.tool());
    }
    Row row =
        new Row(
            record.tool(),
            encoded.names(),
            encoded.values(),
            logLatency,
            success,
            before == null ? Double.NaN : before.logLatency(),
            before == null ? Double.NaN : before.successRate(),
            record.end().toEpochMilli(),
            config.foldsByRun ? record.runId() : "");
    boolean due;
    synchronized (window) {
      window.addLast(row);
      while (window.size() > config.windowSize) {
        window.removeFirst();
      }
      long oldest = row.endMillis() - config.windowAge.toMillis();
      while (!window.isEmpty() && window.peekFirst().endMillis() < oldest) {
        window.removeFirst();
      }
      sinceTraining++;
      due = sinceTraining >= config.retrainEvery;
    }
    if (due) {
      retrain();
    }
  }

  /** Most records read per page by {@link #warmStart}. */
  private static final int WARM_START_PAGE = 1000;

  /**
   * Learns from the history at startup: reads the records of the last {@code windowAge} before
   * {@code now} from {@code source} (for example an {@code ExecutionHistoryStore}), page by page in
   * the source's order (oldest first for the stores of the storage module), as if they had just
   * finished, then starts a training on the full window.
   *
   * @return how many records were read
   * @throws RuntimeException whatever the source throws when it cannot be read (for a history
   *     store, a {@code HistoryStoreException}); the predictor keeps what it had learnt
   */
  public long warmStart(RecordSource source, Instant now) {
    Instant from = now.minus(config.windowAge);
    int limit = Math.min(config.windowSize, WARM_START_PAGE);
    long read = 0;
    String pageToken = null;
    do {
      RecordPage page = source.scan(from, now, limit, pageToken);
      for (ExecutionRecord record : page.records()) {
        accept(record);
        read++;
      }
      pageToken = page.nextPageToken();
    } while (pageToken != null);
    retrain();
    return read;
  }

  /**
   * Starts a training on the window now, on the executor, unless one is already running.
   *
   * @return whether a training was started
   */
  public boolean retrain() {
    if (!training.compareAndSet(false, true)) {
      return false;
    }
    List<Row> rows;
    synchronized (window) {
      rows = new ArrayList<>(window);
      sinceTraining = 0;
    }
    try {
      executor.execute(() -> train(rows));
      return true;
    } catch (RejectedExecutionException e) {
      training.set(false);
      return false;
    }
  }

  private void train(List<Row> rows) {
    try {
      TrainedModels trained = config.trainer.apply(rows, settings);
      models.set(trained);
      trainings.incrementAndGet();
    } catch (java.util.concurrent.CancellationException e) {
      // close() interrupted it: not a failure, and nothing to warn about
      LOG.log(Level.FINE, "training stopped: the predictor is closing", e);
    } catch (Throwable t) {
      trainingFailures.incrementAndGet();
      lastTrainingFailure = t;
      LOG.log(Level.WARNING, "training failed; the current models keep serving", t);
      if (t instanceof Error e && !(t instanceof StackOverflowError || t instanceof LinkageError)) {
        throw e;
      }
    } finally {
      training.set(false);
    }
  }

  // ---------------------------------------------------------------- predictions

  /** Predicts for a queued call (see {@link Builder#inFlight}). Never blocks; never null. */
  @Override
  public Prediction predict(PendingCall call) {
    return predict(CallFeatures.of(call, config.inFlight.applyAsInt(call)));
  }

  /** Predicts for a call described by its features. Never blocks; never NaN. */
  public Prediction predict(CallFeatures features) {
    String tool = features.tool();
    ToolBaselines.Stats stats = baselines.get(tool);
    TrainedModels current = models.get();
    TrainedModels.Choice latencyChoice = current.latencyFor(tool);
    if (latencyChoice != null
        && stats == null
        && (latencyChoice.residual() || latencyChoice.shrinkage() < 1)) {
      latencyChoice = null; // needs the tool's moving average, not known yet (models just loaded)
    }
    boolean latencyModel = latencyChoice != null;
    boolean successModel = current.successFor(tool);
    if (stats == null && !latencyModel && !successModel) {
      return new Prediction(
          config.priorLatency,
          config.priorLatency.multipliedBy(config.priorUpperFactor),
          config.priorSuccess,
          PRIOR);
    }
    double logLatency = stats != null ? stats.logLatency() : Math.log(seconds(config.priorLatency));
    double logUpper = stats != null ? stats.logUpper() : logLatency;
    double success = stats != null ? stats.successRate() : config.priorSuccess;
    String fallback = stats != null ? BASELINE : PRIOR;
    String latencySource = fallback;
    String successSource = fallback;
    if (latencyModel || successModel) {
      FeatureEncoder.Encoded e = FeatureEncoder.encode(features, stats);
      if (latencyChoice != null) {
        StoreEstimates estimates = storeEstimates;
        double p =
            current.predictLogLatency(
                tool,
                latencyChoice,
                e.names(),
                e.values(),
                stats == null ? 0 : stats.logLatency(),
                estimates == null
                    ? null
                    : (k, inMemory) -> estimates.answer(tool, features.numeric(), k, inMemory));
        if (Double.isFinite(p)) {
          logLatency = p;
          logUpper = p + current.upperLogOffset();
          latencySource = MODEL;
        }
      }
      if (successModel) {
        double p = TrainedModels.predictSuccess(current.success(), e.names(), e.values());
        if (Double.isFinite(p)) {
          success = p;
          successSource = MODEL;
        }
      }
    }
    logLatency = clampLog(logLatency);
    logUpper = Math.max(logLatency, clampLog(logUpper));
    success = Double.isFinite(success) ? Math.min(1, Math.max(0, success)) : config.priorSuccess;
    String source =
        latencySource.equals(successSource) ? latencySource : latencySource + "/" + successSource;
    return new Prediction(duration(logLatency), duration(logUpper), success, source);
  }

  /**
   * The expected latency of one call of {@code tool} with nothing else running and average
   * arguments: the reference of an adaptive concurrency limit.
   */
  public Duration noLoadLatency(String tool) {
    return predict(new CallFeatures(tool, java.util.Map.of(), 1, 1)).latency();
  }

  private double clampLog(double v) {
    if (Double.isNaN(v)) {
      return Math.log(seconds(config.priorLatency));
    }
    return Math.min(maxLog, Math.max(MIN_LOG, v));
  }

  private static Duration duration(double logSeconds) {
    return Duration.ofNanos(Math.round(Math.exp(logSeconds) * 1e9));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  // ---------------------------------------------------------------- model files

  /**
   * Saves the current models (Tribuo protobuf files with their provenance, plus a small properties
   * file) into {@code directory}, creating it if needed.
   *
   * @throws ModelFileException if there is nothing trained or a file cannot be written
   */
  public void save(Path directory) {
    ModelFiles.save(models.get(), directory);
  }

  /**
   * Loads models saved by {@link #save} and uses them at once. The model files are verified against
   * the SHA-256 checksums saved with them. If the files are missing (a model file deleted since it
   * was saved included), changed, corrupt or of the wrong kind, the models are dropped so that the
   * baseline answers, and the problem is thrown.
   *
   * @throws ModelFileException naming the file and the problem
   */
  public void load(Path directory) {
    try {
      models.set(ModelFiles.load(directory));
    } catch (ModelFileException e) {
      models.set(TrainedModels.none("model files could not be loaded: " + e.getMessage()));
      throw e;
    }
  }

  // ---------------------------------------------------------------- state

  /** How the models in use compared with the baseline when trained (or why there are none). */
  public ModelReport report() {
    return models.get().report();
  }

  /** Records rejected for a negative or absurd duration. */
  public long rejected() {
    return rejected.get();
  }

  /** Trainings that completed. */
  public long trainings() {
    return trainings.get();
  }

  /** Trainings that threw. */
  public long trainingFailures() {
    return trainingFailures.get();
  }

  /** The last training failure, or {@code null}. */
  public @Nullable Throwable lastTrainingFailure() {
    return lastTrainingFailure;
  }

  /**
   * Counters of the history store's neighbours on the call path ({@link
   * Builder#historyNeighbours}); {@link NeighbourCacheStats#NONE} if none are configured.
   */
  public NeighbourCacheStats neighbourStats() {
    StoreEstimates estimates = storeEstimates;
    return estimates == null ? NeighbourCacheStats.NONE : estimates.stats();
  }

  /** Whether a training is running (or queued on the executor). */
  public boolean isTraining() {
    return training.get();
  }

  /** Records in the window now. */
  public int windowSize() {
    synchronized (window) {
      return window.size();
    }
  }

  /**
   * This predictor's own training thread: started at a training, ended after a minute without one
   * (so a predictor never closed does not keep an idle thread), stopped by {@link #close()}.
   */
  private static ExecutorService trainerThread() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1,
            1,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().name("parallax-trainer").daemon(true).factory());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * The thread of the history neighbours' store queries: one daemon thread, started at the first
   * query and ended after a minute without one, behind a queue of {@code queue} queries (more are
   * dropped and counted).
   */
  private static ExecutorService neighbourThread(int queue) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1,
            1,
            1,
            TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(queue),
            Thread.ofPlatform().name("parallax-neighbours").daemon(true).factory(),
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Stops the threads this predictor owns — the training thread (none if a {@link
   * Builder#trainingExecutor} was given: that executor stays the caller's), interrupting a training
   * still running, and the history neighbours' query thread (none if a {@link
   * Builder#historyNeighboursExecutor} was given), dropping queued queries — and waits up to 10
   * seconds for each to end. Afterwards the predictor still predicts (cached store estimates
   * included) and still learns baselines from {@link #accept}, but no longer retrains or queries
   * the store. Idempotent.
   */
  @Override
  public void close() {
    StoreEstimates estimates = storeEstimates;
    if (estimates != null) {
      estimates.close();
    }
    stop(ownNeighbourExecutor, "history neighbours' query");
    stop(ownExecutor, "training");
  }

  private static void stop(@Nullable ExecutorService own, String what) {
    if (own == null || own.isTerminated()) {
      return;
    }
    own.shutdownNow();
    try {
      if (!own.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warning("the " + what + " thread did not stop within 10 s; it is a daemon thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Configures an {@link AdaptivePredictor}. Not thread-safe; the built predictor is.
   *
   * <p>Defaults: baseline weight 0.1; window 10,000 records and 1 hour; retrain every 500 records
   * once at least 100 are there; latency gate on 5 out-of-fold blocks of time; 20% held out for the
   * success classifier; latency candidates linear SGD and CART, SGD 10 epochs, seed 42; gate 30
   * scored rows per tool, margin 0.02; records longer than 1 hour rejected; prior 1 s (upper 10 s),
   * success 0.9; in-flight count unknown; training on a daemon thread of the predictor's own,
   * started at the first training and stopped by {@link AdaptivePredictor#close()}.
   */
  public static final class Builder {
    private double baselineAlpha = 0.1;
    private int windowSize = 10_000;
    private Duration windowAge = Duration.ofHours(1);
    private int retrainEvery = 500;
    private int minTrainingRows = 100;
    private double heldOutFraction = 0.2;
    private int epochs = 10;
    private long seed = 42;
    private List<LatencyModelType> types =
        List.of(
            LatencyModelType.LINEAR_SGD,
            LatencyModelType.CART,
            LatencyModelType.NEAREST_NEIGHBOURS);
    private int gateMinRows = 30;
    private double gateMargin = 0.02;
    private int folds = 5;
    private boolean foldsByRun;
    private Duration maxLatency = Duration.ofHours(1);
    private Duration priorLatency = Duration.ofSeconds(1);
    private long priorUpperFactor = 10;
    private double priorSuccess = 0.9;
    private ToIntFunction<PendingCall> inFlight = call -> 0;
    private @Nullable Executor executor;
    private BiFunction<List<Row>, ModelTraining.Settings, TrainedModels> trainer =
        ModelTraining::train;
    private @Nullable HistoryNeighbours historyNeighbours;
    private @Nullable Executor neighbourExecutor;
    private int neighbourQueue = 64;
    private int neighbourCacheSize = 10_000;
    private long neighbourRefreshRecords = 100;
    private Duration neighbourRefreshAfter = Duration.ofMinutes(1);
    private Duration neighbourExpireAfter = Duration.ofMinutes(10);
    private int neighbourMinPairs = 30;
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /** Replaces the training itself (tests: a training that throws). */
    Builder trainer(BiFunction<List<Row>, ModelTraining.Settings, TrainedModels> trainer) {
      this.trainer = trainer;
      return this;
    }

    private Builder copy() {
      Builder b = new Builder();
      b.baselineAlpha = baselineAlpha;
      b.windowSize = windowSize;
      b.windowAge = windowAge;
      b.retrainEvery = retrainEvery;
      b.minTrainingRows = minTrainingRows;
      b.heldOutFraction = heldOutFraction;
      b.epochs = epochs;
      b.seed = seed;
      b.types = types;
      b.gateMinRows = gateMinRows;
      b.gateMargin = gateMargin;
      b.folds = folds;
      b.foldsByRun = foldsByRun;
      b.maxLatency = maxLatency;
      b.priorLatency = priorLatency;
      b.priorUpperFactor = priorUpperFactor;
      b.priorSuccess = priorSuccess;
      b.inFlight = inFlight;
      b.executor = executor;
      b.trainer = trainer;
      b.historyNeighbours = historyNeighbours;
      b.neighbourExecutor = neighbourExecutor;
      b.neighbourQueue = neighbourQueue;
      b.neighbourCacheSize = neighbourCacheSize;
      b.neighbourRefreshRecords = neighbourRefreshRecords;
      b.neighbourRefreshAfter = neighbourRefreshAfter;
      b.neighbourExpireAfter = neighbourExpireAfter;
      b.neighbourMinPairs = neighbourMinPairs;
      b.ticker = ticker;
      return b;
    }

    /**
     * Lets a history store's similarity search answer where a tool's chosen latency model is k
     * nearest neighbours: over the whole history instead of the newest 512 calls per tool the
     * in-memory index holds. Default: none.
     *
     * <p><b>On the call path.</b> A prediction never queries the store. Where the tool's chosen
     * model is k nearest neighbours and its in-memory index answers (the call lies within the reach
     * the gate judged), the prediction answers from a bounded cache of the store's estimates keyed
     * by the tool, k and {@link HistoryNeighbours#key} (for the facade's adapter: the standardised
     * features the store indexes, rounded to a grid of 0.1 standard deviations). On a miss the
     * in-memory index answers at once and the store is queried on a background thread; later calls
     * with the same key get the store's estimate. An estimate is queried again in the background
     * (the old one answering meanwhile) once its tool has {@link #historyNeighboursCache
     * refreshAfterRecords} new records or it is {@code refreshAfter} old, and dropped when {@code
     * expireAfter} old. Queries beyond the queue are dropped, a query that throws is logged; both
     * are counted ({@link AdaptivePredictor#neighbourStats()}) and the in-memory index keeps
     * answering. A cached estimate adds well under a microsecond to a prediction (see the
     * benchmarks module's {@code StoreNeighbourBenchmark}).
     *
     * <p><b>What chooses it.</b> The training's selection judges the in-memory index on held-out
     * calls (the store cannot be scored there without look-ahead: it holds the held-out calls and
     * everything after them); the store may answer in its place only for the tools where that index
     * passed the gate, with the same k and within the same reach. Whether it does is decided per
     * tool on calls it had not seen ({@link #historyNeighboursGate}): when a call finishes, the
     * store's cached estimate for it (queried before its record existed) and the in-memory answer
     * are scored against its latency, and the store answers once it is better on the tool's newest
     * 200 such pairs with 95% confidence — decided again at every pair. Until then the cache fills
     * and the in-memory index answers.
     *
     * <p><b>Why off by default.</b> It costs a store query for each new cell of features (hundreds
     * of microseconds on the embedded store, a network round trip on Chroma) on a thread of its
     * own, and it needs a store whose vectors are the standardised features (a {@code
     * ToolScaledVectorizer}), which the default history stores are not. An experienced user turns
     * it on with such a store, where the whole history is expected to help (for example where old
     * calls matter, as {@code parallax analyze --loio --neighbours store} shows).
     */
    public Builder historyNeighbours(HistoryNeighbours neighbours) {
      this.historyNeighbours = Objects.requireNonNull(neighbours, "neighbours");
      return this;
    }

    /**
     * The cache of {@link #historyNeighbours}: at most {@code maxEntries} estimates (default
     * 10,000), queried again after {@code refreshAfterRecords} new records of their tool (default
     * 100) or when {@code refreshAfter} old (default 1 minute), dropped when {@code expireAfter}
     * old (default 10 minutes).
     *
     * @throws IllegalArgumentException if a count is below 1, a duration not positive, or {@code
     *     expireAfter} shorter than {@code refreshAfter}
     */
    public Builder historyNeighboursCache(
        int maxEntries, long refreshAfterRecords, Duration refreshAfter, Duration expireAfter) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
      }
      if (refreshAfterRecords < 1) {
        throw new IllegalArgumentException(
            "refreshAfterRecords must be >= 1, was " + refreshAfterRecords);
      }
      if (!refreshAfter.isPositive() || !expireAfter.isPositive()) {
        throw new IllegalArgumentException(
            "refreshAfter and expireAfter must be positive, were "
                + refreshAfter
                + " and "
                + expireAfter);
      }
      if (expireAfter.compareTo(refreshAfter) < 0) {
        throw new IllegalArgumentException(
            "expireAfter " + expireAfter + " is shorter than refreshAfter " + refreshAfter);
      }
      this.neighbourCacheSize = maxEntries;
      this.neighbourRefreshRecords = refreshAfterRecords;
      this.neighbourRefreshAfter = refreshAfter;
      this.neighbourExpireAfter = expireAfter;
      return this;
    }

    /**
     * The history neighbours' gate: the store answers for a tool once at least {@code minPairs}
     * (default 30) of its finished calls were scored for both the store's cached estimate and the
     * in-memory index, and the store's absolute log error is lower with 95% confidence over the
     * newest 200 pairs; 0 lets the store answer wherever it has an estimate, uncompared.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder historyNeighboursGate(int minPairs) {
      if (minPairs < 0) {
        throw new IllegalArgumentException("minPairs must be >= 0, was " + minPairs);
      }
      this.neighbourMinPairs = minPairs;
      return this;
    }

    /**
     * Most store queries waiting for the predictor's own query thread (default 64); more are
     * dropped and counted.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder historyNeighboursQueue(int queries) {
      if (queries < 1) {
        throw new IllegalArgumentException("queue must be >= 1, was " + queries);
      }
      this.neighbourQueue = queries;
      return this;
    }

    /**
     * Where store queries run, instead of the predictor's own thread; the executor stays the
     * caller's. A {@link RejectedExecutionException} drops the query (counted). Tests: an executor
     * that holds tasks until released.
     */
    public Builder historyNeighboursExecutor(Executor executor) {
      this.neighbourExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Nanosecond time of the history neighbours' cache (default {@code System::nanoTime}). */
    public Builder ticker(LongSupplier nanoTime) {
      this.ticker = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /** Weight of a new sample in the moving averages, in {@code (0, 1]}. */
    public Builder baselineAlpha(double alpha) {
      if (!(alpha > 0 && alpha <= 1)) {
        throw new IllegalArgumentException("baselineAlpha must be in (0, 1], was " + alpha);
      }
      this.baselineAlpha = alpha;
      return this;
    }

    /** Most records kept for training, at least 2. */
    public Builder windowSize(int records) {
      if (records < 2) {
        throw new IllegalArgumentException("windowSize must be >= 2, was " + records);
      }
      this.windowSize = records;
      return this;
    }

    /** Oldest record kept, measured back from the newest record's end. */
    public Builder windowAge(Duration age) {
      if (age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException("windowAge must be positive, was " + age);
      }
      this.windowAge = age;
      return this;
    }

    /** Retrain after this many new records, at least 1. */
    public Builder retrainEvery(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("retrainEvery must be >= 1, was " + records);
      }
      this.retrainEvery = records;
      return this;
    }

    /** Fewest records in the window to train at all, at least 2. */
    public Builder minTrainingRows(int records) {
      if (records < 2) {
        throw new IllegalArgumentException("minTrainingRows must be >= 2, was " + records);
      }
      this.minTrainingRows = records;
      return this;
    }

    /** Share of the newest records held out to compare the models with the baseline. */
    public Builder heldOutFraction(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException("heldOutFraction must be in (0, 1), was " + fraction);
      }
      this.heldOutFraction = fraction;
      return this;
    }

    /** SGD epochs per training, at least 1. */
    public Builder epochs(int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /** Random seed of training. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** One regression as the only latency candidate; see {@link #latencyModels}. */
    public Builder latencyModel(LatencyModelType type) {
      return latencyModels(type);
    }

    /**
     * The latency candidates (default linear SGD, CART and k nearest neighbours); each is trained
     * at every retrain, and each tool uses the best on its held-out calls if it passes the gate.
     *
     * @throws IllegalArgumentException if none is given
     */
    public Builder latencyModels(LatencyModelType... types) {
      if (types.length == 0) {
        throw new IllegalArgumentException("at least one latency model type is needed");
      }
      for (LatencyModelType t : types) {
        Objects.requireNonNull(t, "type");
      }
      this.types = List.of(types).stream().distinct().toList();
      return this;
    }

    /**
     * The gate: a model answers for a tool only with at least {@code minRows} scored rows (the
     * tool's out-of-fold calls; with {@code folds(0)}, half of its held-out calls) on which the 95%
     * interval of its error ratio to the moving average's lies below {@code 1 - margin}. Defaults
     * 30 and 0.02.
     *
     * @throws IllegalArgumentException if {@code minRows < 1} or {@code margin} is not in [0, 1)
     */
    public Builder gate(int minRows, double margin) {
      if (minRows < 1) {
        throw new IllegalArgumentException("gate minRows must be >= 1, was " + minRows);
      }
      if (!(margin >= 0 && margin < 1)) {
        throw new IllegalArgumentException("gate margin must be in [0, 1), was " + margin);
      }
      this.gateMinRows = minRows;
      this.gateMargin = margin;
      return this;
    }

    /**
     * How the latency gate gets its evidence. With {@code folds >= 2} (default 5) every record of
     * the window is scored out of fold: the window is cut into {@code folds} blocks of consecutive
     * records, every candidate is trained on the other blocks and predicts the block; a tool's
     * candidate is chosen per block on the other blocks' errors and gated on all of the tool's
     * records, then refitted on the whole window. Training then costs about {@code folds + 1} times
     * as much (on the trainer thread; predictions are not slower). With {@code folds == 0} the
     * newest {@link #heldOutFraction} is held out instead: the gate's test half is half of a tool's
     * share of it. The success classifier always uses the held-out split.
     *
     * @throws IllegalArgumentException if {@code folds} is 1 or negative
     */
    public Builder folds(int folds) {
      if (folds == 1 || folds < 0) {
        throw new IllegalArgumentException("folds must be 0 or >= 2, was " + folds);
      }
      this.folds = folds;
      return this;
    }

    /**
     * Whether the folds of {@link #folds} are whole runs ({@link ExecutionRecord#runId()}, balanced
     * by size; {@code min(folds, runs)} folds) rather than blocks of time, so that the gate sees
     * how a model does on a run it never saw, and its intervals resample whole runs (a cluster
     * bootstrap: the calls of one run share its machine and inputs). Applies when the window holds
     * at least two runs. Default false.
     */
    public Builder foldsByRun(boolean byRun) {
      this.foldsByRun = byRun;
      return this;
    }

    /** Records longer than this are rejected as absurd. */
    public Builder maxLatency(Duration max) {
      if (max.isNegative() || max.isZero()) {
        throw new IllegalArgumentException("maxLatency must be positive, was " + max);
      }
      this.maxLatency = max;
      return this;
    }

    /** What to predict for a tool never seen. */
    public Builder prior(Duration latency, long upperFactor, double success) {
      if (latency.isNegative() || latency.isZero()) {
        throw new IllegalArgumentException("prior latency must be positive, was " + latency);
      }
      if (upperFactor < 1) {
        throw new IllegalArgumentException("prior upper factor must be >= 1, was " + upperFactor);
      }
      if (!(success >= 0 && success <= 1)) {
        throw new IllegalArgumentException("prior success must be in [0, 1], was " + success);
      }
      this.priorLatency = latency;
      this.priorUpperFactor = upperFactor;
      this.priorSuccess = success;
      return this;
    }

    /**
     * How many calls are in flight when a queued call is predicted (for example from a limiter); 0
     * means unknown, and the tool's recent average is used.
     */
    public Builder inFlight(ToIntFunction<PendingCall> inFlight) {
      this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
      return this;
    }

    /**
     * Where trainings run, instead of a thread of the predictor's own; the executor stays the
     * caller's ({@link AdaptivePredictor#close()} does not stop it). {@code Runnable::run} trains
     * synchronously inside {@link AdaptivePredictor#accept} or {@link AdaptivePredictor#retrain}
     * (for tests).
     */
    public Builder trainingExecutor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The predictor. */
    public AdaptivePredictor build() {
      if (minTrainingRows > windowSize) {
        throw new IllegalStateException(
            "minTrainingRows " + minTrainingRows + " > windowSize " + windowSize);
      }
      return new AdaptivePredictor(this);
    }
  }
}
