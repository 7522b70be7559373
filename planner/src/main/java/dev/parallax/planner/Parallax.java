package dev.parallax.planner;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.ModelFileException;
import dev.parallax.adaptive.limit.AdaptiveAdmissionControl;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.core.tool.ArgumentFeatures;
import dev.parallax.planner.cache.CaffeineResultCache;
import dev.parallax.planner.schedule.CriticalPathScheduling;
import dev.parallax.storage.BufferedHistoryWriter;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.telemetry.ParallaxTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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
 * <p>The data flow: every call's span goes through {@link ParallaxTelemetry}, whose record
 * processor turns it into an execution record; each record goes to the {@link AdaptivePredictor}
 * (which retrains in the background on its own thread) and, through a {@link
 * BufferedHistoryWriter}, to the history store. At build time the predictor warm-starts from the
 * history (and from saved model files, if a model directory is set). The executor schedules with
 * {@link CriticalPathScheduling} on the predictor's estimates.
 *
 * <p>Defaults, each replaceable on the builder: an embedded history store in {@code
 * ~/.parallax/history}; telemetry with no exporter; a predictor with its defaults; critical-path
 * scheduling; core's fixed concurrency limits (adaptive limits with {@link
 * Builder#adaptiveConcurrency}); a Caffeine result cache for tools declared cacheable and
 * idempotent; no fallbacks unless given. Parts handed in are used as they are and are not closed by
 * {@link #close()}; parts built here are.
 *
 * <p>{@link #close()} stops the executor (cancelling runs still going), flushes the spans and the
 * records into history, saves the models if a model directory is set, and stops every thread it
 * started. Thread-safe.
 */
public final class Parallax implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Parallax.class.getName());

  /** The features the default embedded store indexes records by. */
  public static final List<String> DEFAULT_VECTOR_FEATURES =
      List.of(ArgumentFeatures.BYTES, ArgumentFeatures.COUNT);

  private final ToolExecutor executor;
  private final ParallaxTelemetry telemetry;
  private final AdaptivePredictor predictor;
  private final ExecutionHistoryStore history;
  private final BufferedHistoryWriter writer;
  private final @Nullable Path modelDirectory;
  private final long warmStartRecords;
  private final Deque<AutoCloseable> owned;

  private Parallax(
      ToolExecutor executor,
      ParallaxTelemetry telemetry,
      AdaptivePredictor predictor,
      ExecutionHistoryStore history,
      BufferedHistoryWriter writer,
      @Nullable Path modelDirectory,
      long warmStartRecords,
      Deque<AutoCloseable> owned) {
    this.executor = executor;
    this.telemetry = telemetry;
    this.predictor = predictor;
    this.history = history;
    this.writer = writer;
    this.modelDirectory = modelDirectory;
    this.warmStartRecords = warmStartRecords;
    this.owned = owned;
  }

  /** A builder with the defaults described above. */
  public static Builder builder() {
    return new Builder();
  }

  /** The executor to run calls with. */
  public ToolExecutor executor() {
    return executor;
  }

  /** The predictor learning from every call. */
  public AdaptivePredictor predictor() {
    return predictor;
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

  private static void flush(ParallaxTelemetry telemetry, Duration timeout) {
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

  /** Configures {@link Parallax}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Path historyDirectory;
    private @Nullable ExecutionHistoryStore history;
    private @Nullable ParallaxTelemetry telemetry;
    private @Nullable AdaptivePredictor predictor;
    private @Nullable SchedulingPolicy scheduling;
    private @Nullable AdmissionControl admission;
    private boolean adaptiveConcurrency;
    private @Nullable ResultCache cache;
    private FallbackPolicy fallback = FallbackPolicy.NONE;
    private @Nullable Path modelDirectory;
    private boolean warmStart = true;
    private Clock clock = Clock.systemUTC();
    private UnaryOperator<ToolExecutor.Builder> executorOptions = UnaryOperator.identity();
    private UnaryOperator<AdaptivePredictor.Builder> predictorOptions = UnaryOperator.identity();

    private Builder() {}

    /**
     * Where the default embedded history store keeps its files; default {@code
     * ~/.parallax/history}.
     */
    public Builder historyDirectory(Path directory) {
      this.historyDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** A history store to use instead of the embedded one (for example Chroma); not closed here. */
    public Builder historyStore(ExecutionHistoryStore store) {
      this.history = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Telemetry to use instead of a default one (for example with OTLP export); not closed here.
     */
    public Builder telemetry(ParallaxTelemetry telemetry) {
      this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
      return this;
    }

    /** A predictor to use instead of a default one; its training executor stays yours. */
    public Builder predictor(AdaptivePredictor predictor) {
      this.predictor = Objects.requireNonNull(predictor, "predictor");
      return this;
    }

    /**
     * Options of the default predictor (window, retraining pace, model type…); its training runs on
     * a thread of this instance, stopped at close. Ignored when a predictor is given.
     */
    public Builder predictorOptions(UnaryOperator<AdaptivePredictor.Builder> options) {
      this.predictorOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Scheduling instead of critical-path scheduling on the predictor's estimates. */
    public Builder scheduling(SchedulingPolicy scheduling) {
      this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
      return this;
    }

    /** Admission control instead of core's fixed limits; conflicts with adaptive concurrency. */
    public Builder admissionControl(AdmissionControl admission) {
      this.admission = Objects.requireNonNull(admission, "admission");
      return this;
    }

    /**
     * Whether each tool gets an adaptive concurrency limit, shared by all runs, with the
     * predictor's no-load latency as reference; default {@code false} (fixed limits).
     */
    public Builder adaptiveConcurrency(boolean adaptive) {
      this.adaptiveConcurrency = adaptive;
      return this;
    }

    /**
     * The result cache; default a {@link CaffeineResultCache} with its defaults (it caches only
     * tools declared cacheable and idempotent). {@link ResultCache#NONE} turns caching off.
     */
    public Builder resultCache(ResultCache cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * The fallback policy; default none. If it is also an {@link ExecutionListener} (to learn which
     * tools fail), it is registered as one.
     */
    public Builder fallback(FallbackPolicy fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    /** Where models are loaded from at build (if present) and saved to at close; default none. */
    public Builder modelDirectory(Path directory) {
      this.modelDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Whether the predictor reads the history at build time; default {@code true}. */
    public Builder warmStart(boolean warmStart) {
      this.warmStart = warmStart;
      return this;
    }

    /** The clock that dates the warm start's window; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Further executor options (concurrency, retries, timeouts, listeners…), applied before the
     * parts wired here.
     */
    public Builder executor(UnaryOperator<ToolExecutor.Builder> options) {
      this.executorOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Builds and starts everything. If a part fails to start, what was already started is closed
     * again and the failure is thrown.
     *
     * @throws IllegalStateException for conflicting options
     * @throws HistoryStoreException if the history store cannot be opened
     */
    public Parallax build() {
      if (adaptiveConcurrency && admission != null) {
        throw new IllegalStateException(
            "adaptiveConcurrency(true) and admissionControl(...) both set: choose one");
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
      ExecutionHistoryStore store = history;
      if (store == null) {
        Path directory =
            historyDirectory != null
                ? historyDirectory
                : Path.of(System.getProperty("user.home"), ".parallax", "history");
        store =
            EmbeddedHistoryStore.open(directory, FeatureVectorizer.log1p(DEFAULT_VECTOR_FEATURES));
        owned.push(store);
      }
      AdaptivePredictor model = predictor;
      if (model == null) {
        ExecutorService trainer =
            Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("parallax-trainer").daemon(true).factory());
        owned.push(trainer::shutdownNow);
        model =
            predictorOptions.apply(AdaptivePredictor.builder()).trainingExecutor(trainer).build();
      }
      if (modelDirectory != null && Files.isDirectory(modelDirectory)) {
        try {
          model.load(modelDirectory);
        } catch (ModelFileException e) {
          LOG.log(Level.WARNING, "models not loaded; the baseline answers until retrained", e);
        }
      }
      long warm = warmStart ? model.warmStart(store, clock.instant()) : 0;

      BufferedHistoryWriter writer = BufferedHistoryWriter.builder(store).build();
      owned.push(writer);
      ParallaxTelemetry traces =
          telemetry != null ? telemetry : ParallaxTelemetry.builder().build();
      owned.push(traces.subscribe(model));
      owned.push(traces.subscribe(writer::offer));
      // closed first (last pushed): the spans still buffered reach the predictor and the writer
      if (telemetry == null) {
        owned.push(traces);
      } else {
        ParallaxTelemetry given = telemetry;
        owned.push(() -> flush(given, Duration.ofSeconds(10)));
      }

      ToolExecutor.Builder b = executorOptions.apply(ToolExecutor.builder());
      b.openTelemetry(traces.openTelemetry())
          .predictor(model)
          .scheduling(scheduling != null ? scheduling : CriticalPathScheduling.using(model))
          .resultCache(
              cache != null
                  ? cache
                  : CaffeineResultCache.builder().openTelemetry(traces.openTelemetry()).build())
          .fallback(fallback);
      if (fallback instanceof ExecutionListener listener) {
        b.listener(listener);
      }
      if (admission != null) {
        b.admissionControl(admission);
      } else if (adaptiveConcurrency) {
        b.admissionControl(AdaptiveAdmissionControl.builder().reference(model).build());
      }
      ToolExecutor executor = b.build();
      return new Parallax(executor, traces, model, store, writer, modelDirectory, warm, owned);
    }
  }
}
