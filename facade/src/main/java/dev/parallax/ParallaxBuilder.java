package dev.parallax;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.HistoryNeighbours;
import dev.parallax.adaptive.ModelFileException;
import dev.parallax.adaptive.limit.AdaptiveAdmissionControl;
import dev.parallax.cluster.ParallaxCluster;
import dev.parallax.cluster.learning.SharedLearning;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.HedgePolicy;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.spi.RunScheduler;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.cache.CaffeineResultCacheBuilder;
import dev.parallax.planner.preload.Preloading;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.storage.BufferedHistoryWriter;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.InMemoryHistoryStore;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.storage.neighbours.StoreNeighbours;
import dev.parallax.storage.neighbours.ToolScaledVectorizer;
import dev.parallax.telemetry.ParallaxTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/** Configures {@link Parallax}; start with {@link Parallax#builder()}. Not thread-safe. */
public final class ParallaxBuilder {

  private static final Logger LOG = Logger.getLogger(ParallaxBuilder.class.getName());

  /** Default of {@link #historyCloseTimeout}: 10 seconds. */
  public static final Duration DEFAULT_HISTORY_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Default of {@link #sharedRetrainEvery}: 500 records of the whole cluster (the single-JVM
   * predictor's default pace).
   */
  public static final int DEFAULT_SHARED_RETRAIN_EVERY = 500;

  /** Default batch size of the history writer: one Lucene commit per this many records. */
  static final int HISTORY_BATCH = 2_000;

  /** The spill directory inside the embedded store's directory. */
  static final String SPILL = "spill";

  private @Nullable Path historyDirectory;
  private @Nullable ExecutionHistoryStore history;
  private @Nullable ParallaxTelemetry telemetry;
  private @Nullable AdaptivePredictor predictor;
  private @Nullable SchedulingPolicy scheduling;
  private @Nullable AdmissionControl admission;
  private @Nullable RunScheduler runScheduler;
  private boolean adaptiveConcurrency;
  private @Nullable ResultCache cache;
  private @Nullable Preloading preloading;
  private FallbackPolicy fallback = FallbackPolicy.NONE;
  private @Nullable HedgePolicy hedging;
  private @Nullable ParallaxCluster cluster;
  private boolean sharedLearning = true;
  private int sharedRetrainEvery = DEFAULT_SHARED_RETRAIN_EVERY;
  private @Nullable Path modelDirectory;
  private boolean warmStart = true;
  private Clock clock = Clock.systemUTC();
  private UnaryOperator<ToolExecutor.Builder> executorOptions = UnaryOperator.identity();
  private UnaryOperator<AdaptivePredictor.Builder> predictorOptions = UnaryOperator.identity();
  private boolean storeNeighbours;
  private @Nullable Path historySpillDirectory;
  private Duration historyCloseTimeout = DEFAULT_HISTORY_CLOSE_TIMEOUT;
  private UnaryOperator<BufferedHistoryWriter.Builder> historyWriterOptions =
      UnaryOperator.identity();

  ParallaxBuilder() {}

  /**
   * Keeps history on disk, in an embedded (Lucene) store in this directory, so that it survives
   * restarts: the predictor warm-starts from it at the next build. Default: no directory — history
   * is kept in memory ({@link InMemoryHistoryStore}) for the life of this instance, and nothing is
   * written to disk except spilled records in a temporary directory. Parallax never writes to the
   * user's home directory unless given a directory there. The in-memory history holds every record
   * of the instance's life: a long-running service gives a directory here or a {@link
   * #historyStore}.
   *
   * @throws IllegalStateException at {@link #build()} if a {@link #historyStore} is also given
   */
  public ParallaxBuilder historyDirectory(Path directory) {
    this.historyDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /**
   * A history store to use instead of the in-memory one (for example Chroma); not closed here.
   *
   * @throws IllegalStateException at {@link #build()} if a {@link #historyDirectory} is also given
   */
  public ParallaxBuilder historyStore(ExecutionHistoryStore store) {
    this.history = Objects.requireNonNull(store, "store");
    return this;
  }

  /**
   * Where the history writer spills records when the store falls behind or is down, to deliver them
   * when it catches up or at the next start. Default: a {@code spill} directory inside the embedded
   * store's directory; for another store (Chroma), a temporary directory deleted once drained —
   * give one here so that records left at close reach the store at the next start.
   */
  public ParallaxBuilder historySpillDirectory(Path directory) {
    this.historySpillDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /**
   * How long {@link Parallax#close()} waits for the history store to take one more record: it waits
   * as long as the store makes progress (so a burst spilled to disk is delivered in full) and gives
   * up after this long without progress (a store that is down), leaving the rest spilled for the
   * next start. Default {@link #DEFAULT_HISTORY_CLOSE_TIMEOUT}.
   *
   * @throws IllegalArgumentException if negative
   */
  public ParallaxBuilder historyCloseTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("historyCloseTimeout must be >= 0, was " + timeout);
    }
    this.historyCloseTimeout = timeout;
    return this;
  }

  /**
   * Further options of the history writer (buffer capacity, batch size, backoff, listener), applied
   * after the ones set here (the spill directory — see {@link #historySpillDirectory} —, the
   * metrics, a batch size of {@value #HISTORY_BATCH}).
   */
  public ParallaxBuilder historyWriter(UnaryOperator<BufferedHistoryWriter.Builder> options) {
    this.historyWriterOptions = Objects.requireNonNull(options, "options");
    return this;
  }

  /** Telemetry to use instead of a default one (for example with OTLP export); not closed here. */
  public ParallaxBuilder telemetry(ParallaxTelemetry telemetry) {
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    return this;
  }

  /**
   * A predictor to use instead of a default one; not closed here, its training executor stays
   * yours.
   */
  public ParallaxBuilder predictor(AdaptivePredictor predictor) {
    this.predictor = Objects.requireNonNull(predictor, "predictor");
    return this;
  }

  /**
   * Options of the default predictor (window, retraining pace, model type, training executor…); the
   * predictor is closed with this instance, which stops the training thread it owns. Ignored when a
   * predictor is given.
   */
  public ParallaxBuilder predictorOptions(UnaryOperator<AdaptivePredictor.Builder> options) {
    this.predictorOptions = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * Whether the history store's own similarity search answers, on the call path, for the tools
   * whose chosen latency model is k nearest neighbours: over the whole history instead of the
   * newest 512 calls per tool, through a refresh-ahead cache that never makes a prediction wait for
   * the store, keyed by the call's standardised features rounded to a grid of 0.1 standard
   * deviations (see {@link AdaptivePredictor.Builder#historyNeighbours}; its cache, queue and
   * executor are set through {@link #predictorOptions}, applied first). Counters: {@code
   * predictor().neighbourStats()}. Default false.
   *
   * <p>Off by default, because it is a trade a user makes knowingly: each new call's features cost
   * one background store query (hundreds of microseconds on the embedded store, a round trip on
   * Chroma), the store's estimate is used where the in-memory one passed the gate without being
   * scored itself, and it needs a store indexed by standardised features, which the default stores
   * are not: give a {@link #historyStore} opened with a {@link
   * dev.parallax.storage.neighbours.ToolScaledVectorizer}.
   *
   * @throws IllegalStateException at {@link #build()} if the history store is not indexed by a
   *     {@code ToolScaledVectorizer} (the default stores included), or a {@link #predictor} is
   *     given (configure {@code historyNeighbours} on it instead)
   */
  public ParallaxBuilder storeNeighbours(boolean enabled) {
    this.storeNeighbours = enabled;
    return this;
  }

  /** Scheduling instead of critical-path scheduling on the predictor's estimates. */
  public ParallaxBuilder scheduling(SchedulingPolicy scheduling) {
    this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
    return this;
  }

  /** Admission control instead of core's fixed limits; conflicts with adaptive concurrency. */
  public ParallaxBuilder admissionControl(AdmissionControl admission) {
    this.admission = Objects.requireNonNull(admission, "admission");
    return this;
  }

  /**
   * One scheduler for all runs of this instance — priorities ({@code ExecutionPlan.withPriority}),
   * named resources, lanes — e.g. a {@link dev.parallax.planner.share.SharedScheduler}; default
   * none (each run keeps only its own limits). It is asked after the run's own limits and before
   * any admission control (adaptive concurrency included). Setting it here and through {@link
   * #executor} fails {@link #build()}.
   */
  public ParallaxBuilder runScheduler(RunScheduler scheduler) {
    this.runScheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * Whether each tool gets an adaptive concurrency limit, shared by all runs, with the predictor's
   * no-load latency as reference; default {@code false} (fixed limits).
   */
  public ParallaxBuilder adaptiveConcurrency(boolean adaptive) {
    this.adaptiveConcurrency = adaptive;
    return this;
  }

  /**
   * The result cache; default a {@link CaffeineResultCache} with its defaults (it caches only tools
   * declared cacheable and idempotent). {@link ResultCache#NONE} turns caching off.
   */
  public ParallaxBuilder resultCache(ResultCache cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
    return this;
  }

  /**
   * Turns speculative preloading on: after each call, the calls the options' {@link
   * dev.parallax.planner.preload.PreloadModel} predicts with enough confidence are started early
   * into the default Caffeine result cache, so that the agent's real call is a hit. Only tools
   * declared idempotent and cacheable are ever preloaded; a budget bounds unused preloads, and no
   * preload starts while real calls wait for capacity. With {@link #adaptiveConcurrency} or {@link
   * #admissionControl}, every preload takes a permit of that admission control before it starts (a
   * tool at its limit is not preloaded; a real call refused because its own preload holds that
   * permit waits for the preload instead of cancelling it). Each agent session (the baggage entry
   * {@code session.id} where a run starts, else the run) predicts from its own calls only, and the
   * model can be relearnt live ({@link Preloading.Builder#learnLive}). Each preload leaves an
   * execution record of its own ({@code preload=true}) that goes where the executor's records go:
   * the metrics (marked {@code parallax.preload=true}), the model, the history and every sink added
   * with {@code executor(b -> b.recordSink(...))} ({@link ToolExecutor#recordSinks()}; a failing
   * sink is counted in {@link ToolExecutor#recordSinkFailures()}). Default off. To read the cache's
   * {@link CaffeineResultCache#preloadStats()}, build the cache with {@link
   * dev.parallax.planner.cache.CaffeineResultCacheBuilder#preloading} and give it to {@link
   * #resultCache} instead.
   *
   * @throws IllegalStateException at {@link #build()} if {@link #resultCache} or {@link #cluster}
   *     is also set
   */
  public ParallaxBuilder preloading(Preloading preloading) {
    this.preloading = Objects.requireNonNull(preloading, "preloading");
    return this;
  }

  /**
   * Runs on a Parallax cluster (module {@code parallax-cluster}, an optional dependency): its
   * cluster-wide per-tool admission, shared result cache with single flight across members and
   * distributed call runner replace the single-JVM ones. Unless turned off with {@link
   * #sharedLearning sharedLearning(false)} or a {@link #predictor} is given, learning is shared
   * too: the default predictor is a {@link dev.parallax.cluster.learning.SharedLearning}'s, fed
   * with the records of every member, trained by the oldest member every {@link
   * #sharedRetrainEvery} records and loaded by all, so the fleet predicts with one model (see
   * {@link Parallax#sharedLearning()}). Default none: nothing changes for single-JVM users. The
   * cluster is not closed here.
   *
   * @throws IllegalStateException at {@link #build()} if {@link #admissionControl}, {@link
   *     #adaptiveConcurrency adaptiveConcurrency(true)} or {@link #resultCache} is also set, or a
   *     runner or admission control through {@link #executor}
   */
  public ParallaxBuilder cluster(ParallaxCluster cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    return this;
  }

  /**
   * Whether, with a {@link #cluster}, the default predictor learns from the whole cluster (one
   * model for the fleet, trained by the oldest member) rather than from this member's calls alone;
   * default {@code true}. Ignored without a cluster or when a {@link #predictor} is given (start a
   * {@link dev.parallax.cluster.learning.SharedLearning} yourself then).
   */
  public ParallaxBuilder sharedLearning(boolean shared) {
    this.sharedLearning = shared;
    return this;
  }

  /**
   * With shared learning (see {@link #cluster}), how many records of the whole cluster arrive
   * between two trainings; it replaces the {@code retrainEvery} of {@link #predictorOptions}, which
   * the other predictor options keep. Default {@link #DEFAULT_SHARED_RETRAIN_EVERY}.
   *
   * @throws IllegalArgumentException if below 1
   */
  public ParallaxBuilder sharedRetrainEvery(int records) {
    if (records < 1) {
      throw new IllegalArgumentException("sharedRetrainEvery must be >= 1, was " + records);
    }
    this.sharedRetrainEvery = records;
    return this;
  }

  /**
   * The fallback policy; default none. What it learns from (its {@link FallbackPolicy#feedback()
   * feedback}) the executor registers itself.
   */
  public ParallaxBuilder fallback(FallbackPolicy fallback) {
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    return this;
  }

  /** Where models are loaded from at build (if present) and saved to at close; default none. */
  public ParallaxBuilder modelDirectory(Path directory) {
    this.modelDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /**
   * Hedges slow calls of idempotent tools (default: off): when a call's first attempt runs past the
   * predictor's upper latency for it (its 90th percentile estimate), a second attempt starts — on
   * the same tool, or on a healthy alternative the {@link #fallback} offers — the first to succeed
   * answers and the other is cancelled. {@code HedgePolicy.ofDefaults()} spends at most 10% extra
   * calls and does not hedge a tool whose recent attempts fail; the hedge counts against the
   * concurrency limits (with {@link #adaptiveConcurrency adaptiveConcurrency(true)}, a limit that
   * has shrunk refuses it). See {@link HedgePolicy}.
   *
   * @throws NullPointerException if {@code hedging} is null
   */
  public ParallaxBuilder hedging(HedgePolicy hedging) {
    this.hedging = Objects.requireNonNull(hedging, "hedging");
    return this;
  }

  /** Whether the predictor reads the history at build time; default {@code true}. */
  public ParallaxBuilder warmStart(boolean warmStart) {
    this.warmStart = warmStart;
    return this;
  }

  /** The clock that dates the warm start's window; default the system clock. */
  public ParallaxBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Further executor options (concurrency, retries, timeouts, listeners, time source, runner…). The
   * seams this builder wires are not among them: setting {@code openTelemetry}, {@code predictor},
   * {@code scheduling} or {@code resultCache} here, or {@code fallback} or {@code admissionControl}
   * when this builder sets them too, fails {@link #build()} with an {@link IllegalStateException}
   * naming the option and the method of this builder to use instead ({@link #telemetry}, {@link
   * #predictor}, {@link #scheduling}, {@link #resultCache}, {@link #fallback}, {@link
   * #admissionControl}), rather than silently replacing one choice with the other.
   */
  public ParallaxBuilder executor(UnaryOperator<ToolExecutor.Builder> options) {
    this.executorOptions = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * Builds and starts everything. If a part fails to start, what was already started is closed
   * again and the failure is thrown.
   *
   * @throws IllegalStateException for conflicting options, naming them
   * @throws HistoryStoreException if the history store cannot be opened
   */
  public Parallax build() {
    if (adaptiveConcurrency && admission != null) {
      throw new IllegalStateException(
          "adaptiveConcurrency(true) and admissionControl(...) both set: choose one");
    }
    if (cluster != null && (admission != null || adaptiveConcurrency || cache != null)) {
      throw new IllegalStateException(
          "cluster(...) brings its own admission control and result cache; do not also set"
              + " admissionControl(...), adaptiveConcurrency(true) or resultCache(...)");
    }
    if (preloading != null && (cache != null || cluster != null)) {
      throw new IllegalStateException(
          "preloading(...) preloads into the default Caffeine result cache; with resultCache(...)"
              + " or cluster(...) set, build a CaffeineResultCache with"
              + " CaffeineResultCache.builder().preloading(...) and give it to resultCache(...)"
              + " instead (not available with a cluster)");
    }
    if (history != null && historyDirectory != null) {
      throw new IllegalStateException(
          "historyStore(...) and historyDirectory(...) both set: choose one");
    }
    if (storeNeighbours && predictor != null) {
      throw new IllegalStateException(
          "storeNeighbours(true) and predictor(...) both set: configure historyNeighbours(...) on"
              + " the predictor given");
    }
    if (storeNeighbours
        && (history == null || !(history.vectorizer() instanceof ToolScaledVectorizer))) {
      throw new IllegalStateException(
          "storeNeighbours(true) needs a historyStore(...) indexed by a ToolScaledVectorizer"
              + " (standardised features), was "
              + (history == null
                  ? "the default "
                      + (historyDirectory == null ? "in-memory" : "embedded")
                      + " store"
                  : history.vectorizer()));
    }
    Deque<AutoCloseable> owned = new ArrayDeque<>();
    try {
      return build(owned);
    } catch (RuntimeException | Error e) {
      while (!owned.isEmpty()) {
        try {
          owned.pop().close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private Parallax build(Deque<AutoCloseable> owned) {
    // the user's executor options first: a conflict fails before anything starts
    ToolExecutor.Builder b = executorOptions.apply(ToolExecutor.builder());
    requireNotWiredThere(b);
    ExecutionHistoryStore store = history;
    if (store == null) {
      FeatureVectorizer vectorizer = FeatureVectorizer.log1p(Parallax.DEFAULT_VECTOR_FEATURES);
      store =
          historyDirectory != null
              ? EmbeddedHistoryStore.open(historyDirectory, vectorizer)
              : new InMemoryHistoryStore(vectorizer);
      owned.push(store);
    }
    AdaptivePredictor model = predictor;
    UnaryOperator<AdaptivePredictor.Builder> predictorOptions = this.predictorOptions;
    if (storeNeighbours) {
      HistoryNeighbours neighbours = new StoreHistoryNeighbours(store);
      UnaryOperator<AdaptivePredictor.Builder> user = predictorOptions;
      predictorOptions = p -> user.apply(p).historyNeighbours(neighbours);
    }
    SharedLearning shared = null;
    if (model == null && cluster != null && sharedLearning) {
      shared =
          SharedLearning.start(
              cluster, predictorOptions.apply(AdaptivePredictor.builder()), sharedRetrainEvery);
      model = shared.predictor();
      owned.push(shared); // stops its trainer, closes its predictor
    } else if (model == null) {
      model = predictorOptions.apply(AdaptivePredictor.builder()).build();
      owned.push(model); // stops its training thread
    }
    if (modelDirectory != null && Files.isDirectory(modelDirectory)) {
      try {
        model.load(modelDirectory);
      } catch (ModelFileException e) {
        LOG.log(Level.WARNING, "models not loaded; the baseline answers until retrained", e);
      }
    }
    long warm = warmStart ? model.warmStart(store, clock.instant()) : 0;

    ParallaxTelemetry traces = telemetry != null ? telemetry : ParallaxTelemetry.builder().build();
    BufferedHistoryWriter writer;
    try {
      writer = historyWriter(store, traces);
    } catch (RuntimeException | Error e) {
      if (telemetry == null) {
        traces.close(); // pushed below, to be closed first; not yet
      }
      throw e;
    }
    Duration closeTimeout = historyCloseTimeout;
    owned.push(() -> writer.close(closeTimeout));
    // shared: records go to every member through the cluster, and come back to this predictor
    owned.push(traces.subscribe(shared != null ? shared::accept : model));
    owned.push(traces.subscribe(writer::offer));
    // closed first (last pushed): the spans still buffered reach the predictor and the writer
    if (telemetry == null) {
      owned.push(traces);
    } else {
      ParallaxTelemetry given = telemetry;
      owned.push(() -> Parallax.flush(given, Duration.ofSeconds(10)));
    }

    AdmissionControl control =
        admission != null
            ? admission
            : adaptiveConcurrency
                ? AdaptiveAdmissionControl.builder().reference(model).build()
                : null;
    // preloads' records go where the executor's go once it is built (no preload runs before)
    AtomicReference<@Nullable ToolExecutor> built = new AtomicReference<>();
    ResultCache results =
        cluster != null
            ? cluster.resultCache()
            : cache != null ? cache : defaultCache(traces, control, built);
    if (results instanceof CaffeineResultCache caffeine) {
      b.listener(caffeine.preloadListener()); // preloads yield to queued calls; no-op when off
    }
    b.openTelemetry(traces.openTelemetry())
        .recordSink(traces.records()) // records from the engine: metrics, model, history writer
        .predictor(model)
        .scheduling(scheduling != null ? scheduling : CriticalPathScheduling.using(model))
        .resultCache(results);
    if (cluster != null) {
      b.admissionControl(cluster.admissionControl()).runner(cluster.callRunner());
    }
    if (fallback != FallbackPolicy.NONE) {
      b.fallback(fallback);
    }
    if (runScheduler != null) {
      b.runScheduler(runScheduler);
    }
    if (hedging != null) {
      b.hedging(hedging);
    }
    if (control != null) {
      b.admissionControl(control);
    }
    ToolExecutor executor = b.build();
    built.set(executor);
    return new Parallax(
        executor, traces, model, shared, store, writer, modelDirectory, warm, owned);
  }

  private CaffeineResultCache defaultCache(
      ParallaxTelemetry traces,
      @Nullable AdmissionControl control,
      AtomicReference<@Nullable ToolExecutor> executor) {
    CaffeineResultCacheBuilder c =
        CaffeineResultCache.builder().openTelemetry(traces.openTelemetry());
    if (preloading != null) {
      // preloads' records go where the executor's go: metrics, model, history writer, and every
      // sink added through executor(b -> b.recordSink(...)); failures counted by the executor
      c.preloading(preloading)
          .preloadRecords(
              record -> {
                ToolExecutor e = executor.get();
                if (e != null) {
                  e.recordSinks().accept(record);
                }
              });
      if (control != null) {
        c.preloadAdmission(control); // preloads count against the executor's shared limits
      }
    }
    return c.build();
  }

  /**
   * The seams this builder wires must not also come through {@link #executor}: one would silently
   * replace the other.
   */
  private void requireNotWiredThere(ToolExecutor.Builder b) {
    Set<String> set = b.seamsSet();
    wired(set, "openTelemetry", "telemetry(ParallaxTelemetry)");
    wired(set, "predictor", "predictor(AdaptivePredictor) or predictorOptions(...)");
    wired(set, "scheduling", "scheduling(SchedulingPolicy)");
    wired(set, "resultCache", "resultCache(ResultCache)");
    if (fallback != FallbackPolicy.NONE) {
      twice(set, "fallback", "fallback(...)");
    }
    if (cluster != null) {
      twice(set, "admissionControl", "cluster(...)");
      twice(set, "runner", "cluster(...)");
    }
    if (runScheduler != null) {
      twice(set, "runScheduler", "runScheduler(...)");
    }
    if (hedging != null) {
      twice(set, "hedging", "hedging(...)");
    }
    if (admission != null) {
      twice(set, "admissionControl", "admissionControl(...)");
    } else if (adaptiveConcurrency) {
      twice(set, "admissionControl", "adaptiveConcurrency(true)");
    }
  }

  private static void wired(Set<String> set, String option, String instead) {
    if (set.contains(option)) {
      throw new IllegalStateException(
          option
              + "(...) set through executor(...), but Parallax wires the executor's "
              + option
              + " itself; use ParallaxBuilder."
              + instead
              + " instead");
    }
  }

  private static void twice(Set<String> set, String option, String here) {
    if (set.contains(option)) {
      throw new IllegalStateException(
          option
              + "(...) set both through executor(...) and ParallaxBuilder."
              + here
              + ": choose one");
    }
  }

  /*
   * Nothing accepted is lost between a span's end and the store: the record processor holds back
   * span ends rather than drop (see ExecutionRecordProcessor), the writer spills to disk what its
   * buffer cannot hold and delivers it when the store catches up or at the next start, and close
   * waits while the store makes progress.
   */
  private BufferedHistoryWriter historyWriter(
      ExecutionHistoryStore store, ParallaxTelemetry traces) {
    BufferedHistoryWriter.Builder b =
        BufferedHistoryWriter.builder(store)
            .batchSize(HISTORY_BATCH)
            .meterProvider(traces.openTelemetry().getMeterProvider());
    if (historySpillDirectory != null) {
      b.spillDirectory(historySpillDirectory);
    } else if (store instanceof EmbeddedHistoryStore embedded) {
      b.spillDirectory(embedded.directory().resolve(SPILL));
    } else {
      b.temporarySpill();
    }
    return historyWriterOptions.apply(b).build();
  }

  /**
   * The store's neighbours behind the adaptive module's seam. Calls share a cached estimate when
   * their standardised features round to the same multiple of {@link #KEY_RESOLUTION} standard
   * deviations (real calls seldom repeat their features exactly).
   */
  static final class StoreHistoryNeighbours implements HistoryNeighbours {
    /**
     * The cache's grid, in standard deviations of each feature (fixed a priori, before any replay
     * was measured with it).
     */
    static final double KEY_RESOLUTION = 0.1;

    private final ExecutionHistoryStore store;
    private final StoreNeighbours keys;

    StoreHistoryNeighbours(ExecutionHistoryStore store) {
      this.store = store;
      this.keys = StoreNeighbours.of(store, 1);
    }

    @Override
    public Object key(String tool, Map<String, Double> features) {
      return keys.key(tool, features, KEY_RESOLUTION);
    }

    @Override
    public double logLatency(String tool, Map<String, Double> features, int k) {
      return StoreNeighbours.of(store, k).estimate(tool, features).logLatency();
    }

    @Override
    public String toString() {
      return "StoreHistoryNeighbours[" + store + "]";
    }
  }
}
