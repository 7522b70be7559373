package dev.parallax.core.internal;

import static dev.parallax.core.spi.ResultCache.Status.NOT_CACHED;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.SeamFailureException.Seam;
import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a call: what the runner runs, what the tool sees as its context, and — once its
 * slot is released — the sample the admission seam is told (so a release allocates nothing). Its
 * end is reported to the run exactly once — also after the run gave up on it, since the run keeps
 * the attempt's slot until its body has returned. Internal; may change at any time.
 */
final class Attempt extends SerialInbox.Event
    implements AttemptExecution, ToolContext, AttemptSample {

  final CallNode node;
  final Tool<?, ?> tool;
  private final Object input;
  final Context context;
  final int number;
  final long startNanos;
  final int inFlightAtStart;
  final @Nullable Instant deadline;
  @Nullable Cancellable timeoutTimer;

  /** Whether this attempt is a hedge: it bypasses the result cache. Set before it starts. */
  boolean hedge;

  /**
   * The cache's lookup that waits for work under way, for an attempt started without an admission
   * permit ({@link ResultCache#joinRefused}); null for an ordinary attempt. Set before it starts.
   * Either it runs, or — when the attempt ends without running it — it is released ({@link
   * #JOIN_TAKEN} decides which, once).
   */
  ResultCache.@Nullable Join joined;

  /** How the run gave up on this attempt (timeout, cancel), or null; set inside run events. */
  AttemptSample.@Nullable Outcome abandonedAs;

  private volatile boolean cancelled;
  private volatile @Nullable Cancellable handle;

  /**
   * Whether the end was reported; set once, by {@link #REPORTED} (no atomic object per attempt).
   */
  @SuppressWarnings("unused") // written through REPORTED
  private volatile boolean reported;

  /** Whether the join was run or released; set once, by {@link #JOIN_TAKEN}. */
  @SuppressWarnings("unused") // written through JOIN_TAKEN
  private volatile boolean joinTaken;

  private static final Logger LOG = Logger.getLogger(Attempt.class.getName());

  private static final VarHandle REPORTED;
  private static final VarHandle JOIN_TAKEN;

  static {
    try {
      REPORTED = MethodHandles.lookup().findVarHandle(Attempt.class, "reported", boolean.class);
      JOIN_TAKEN = MethodHandles.lookup().findVarHandle(Attempt.class, "joinTaken", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // the outcome, written before the attempt is submitted to the run's inbox as an event
  private @Nullable Object value;
  private @Nullable Throwable error;
  private ResultCache.Status cacheStatus = ResultCache.Status.NOT_CACHED;

  /** Whether the cache answered with a preloaded value; written before the end is reported. */
  boolean preloadHit;

  long endNanos;

  // the sample's outcome and end, set inside a run event when the slot is released
  private AttemptSample.Outcome releasedAs = AttemptSample.Outcome.CANCELLED;
  private long releasedNanos;

  Attempt(
      CallNode node,
      Tool<?, ?> tool,
      Object input,
      Context context,
      int number,
      long startNanos,
      int inFlightAtStart,
      @Nullable Instant deadline) {
    this.node = node;
    this.tool = tool;
    this.input = input;
    this.context = context;
    this.number = number;
    this.startNanos = startNanos;
    this.inFlightAtStart = inFlightAtStart;
    this.deadline = deadline;
  }

  /**
   * Hands the attempt to the runner; if it was cancelled meanwhile, stops it again. Never throws:
   * whatever goes wrong is reported as the attempt's end, so the run hears of every attempt.
   */
  void start(CallRunner runner) {
    Cancellable started;
    try {
      started = Objects.requireNonNull(runner.start(this), "the runner gave no handle");
    } catch (Throwable e) {
      Throwable error = e;
      try {
        error =
            new SeamFailureException(
                Seam.RUNNER,
                "the call runner could not start attempt " + number + " of call " + node.call.id(),
                e);
      } catch (Throwable outOfMemory) {
        // report what the runner threw as it is
      }
      report(null, error, NOT_CACHED);
      return;
    }
    handle = started;
    if (cancelled) {
      cancelQuietly(started);
    }
  }

  /** Stops the attempt: marks it cancelled and interrupts it if it has started. */
  void cancel() {
    cancelled = true;
    Cancellable started = handle;
    if (started != null) {
      cancelQuietly(started);
    }
  }

  private static void cancelQuietly(Cancellable started) {
    try {
      started.cancel();
    } catch (Throwable e) {
      // the runner could not stop it; the body ends when it ends and reports then
    }
  }

  @Override
  public PendingCall call() {
    return node;
  }

  @Override
  public int attempt() {
    return number;
  }

  @Override
  public Tool<?, ?> runsTool() {
    return tool;
  }

  @Override
  public boolean isHedge() {
    return hedge;
  }

  @Override
  public void runHere() {
    Object value = null;
    Throwable error = null;
    ResultCache.Status cacheStatus = NOT_CACHED;
    try { // everything inside: whatever happens (out of memory too), the end is reported
      if (cancelled) { // the run gave up on this attempt before it started
        error = CANCELLED_BEFORE_START;
      } else {
        @SuppressWarnings("unchecked")
        Tool<Object, ?> tool = (Tool<Object, ?>) this.tool;
        recordInput(tool);
        Scope scope = context == Context.root() ? Scope.noop() : context.makeCurrent();
        try {
          ResultCache cache = node.run.settings().cache();
          ResultCache.Join join = joined;
          if (join == null && (cache == ResultCache.NONE || hedge)) { // a hedge would join
            value = tool.call(input, this); // the first's flight
          } else {
            ResultCache.Lookup lookup =
                join != null
                    ? runJoin(join)
                    : cache.lookup(
                        new AttemptCall(node, tool), input, () -> tool.call(input, this));
            value = lookup.value();
            cacheStatus = lookup.status();
            preloadHit = lookup.preloaded() && lookup.hit();
          }
        } finally {
          scope.close();
        }
      }
    } catch (Throwable e) {
      error = e;
    }
    report(value, error, cacheStatus);
  }

  /** Runs the join, unless it was released (the attempt already reported an end: moot). */
  private ResultCache.Lookup runJoin(ResultCache.Join join) throws Exception {
    if (!JOIN_TAKEN.compareAndSet(this, false, true)) {
      throw CANCELLED_BEFORE_START;
    }
    return Objects.requireNonNull(join.call(), "the cache's join gave no lookup");
  }

  /**
   * An attempt started as a join that ends without having run it (cancelled before it started, a
   * runner that failed or reported it without running it) releases the join, so the cache stops
   * counting the call as waiting for the joined work (which may then be cancelled).
   */
  private void releaseJoinIfNotRun() {
    ResultCache.Join join = joined;
    if (join != null && JOIN_TAKEN.compareAndSet(this, false, true)) {
      try {
        join.release();
      } catch (Throwable e) {
        Guard.log(LOG, "the result cache threw releasing the join of " + node + "; ignored", e);
      }
    }
  }

  /**
   * On the first attempt, takes the tool's features of the input (and the input as JSON when opted
   * in) for the span and the records — here on the attempt's thread, not in the run's events.
   */
  private void recordInput(Tool<Object, ?> tool) {
    Span span = node.span;
    if (number != 1 || (span == null && node.run.settings().records().isEmpty())) {
      return;
    }
    boolean payloads = node.run.settings().recordPayloads();
    try {
      Map<String, Double> features = CallSpans.features(tool, input);
      String arguments = payloads ? CallSpans.toJson(input) : null;
      node.features = sorted(features); // read by the run's events after this attempt reports
      node.arguments = arguments;
      if (span != null) {
        CallSpans.recordInput(span, features, arguments);
      }
    } catch (Throwable e) {
      // tracing and records only watch: the call runs all the same
    }
  }

  /**
   * The features sorted once, here on the attempt's thread, so that every record of the call shares
   * the copy; as they are if they cannot be sorted (a null name: the record reports it).
   */
  private static Map<String, Double> sorted(Map<String, Double> features) {
    try {
      return SortedFeatures.of(features);
    } catch (RuntimeException e) {
      return features;
    }
  }

  /** The outcome of an attempt that never ran; nobody sees it, so one instance does. */
  private static final CancellationException CANCELLED_BEFORE_START =
      new CancellationException("cancelled before it started") {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
          return this;
        }
      };

  @Override
  public void complete(@Nullable Object value, @Nullable Throwable error) {
    report(value, error, ResultCache.Status.NOT_CACHED);
  }

  /** Hands the outcome to the run, once; later reports are dropped. */
  private void report(
      @Nullable Object value, @Nullable Throwable error, ResultCache.Status cacheStatus) {
    releaseJoinIfNotRun();
    if (REPORTED.compareAndSet(this, false, true)) {
      this.endNanos = node.run.settings().time().nanoTime();
      this.value = value;
      this.error = error;
      this.cacheStatus = cacheStatus;
      node.run.onAttemptEnded(this);
    }
  }

  /** The attempt's end as an event of its run's inbox. */
  @Override
  public void run() {
    node.run.attemptEnded(this, value, error, cacheStatus);
  }

  // AttemptSample: valid once the run released the attempt's slot (see Run#releaseSlot)

  /** Ends the sample: how the attempt ended and when its slot was released. */
  AttemptSample released(AttemptSample.Outcome outcome, long nanos) {
    this.releasedAs = outcome;
    this.releasedNanos = nanos;
    return this;
  }

  @Override
  public String tool() {
    return tool.name();
  }

  @Override
  public Duration latency() {
    return Duration.ofNanos(latencyNanos());
  }

  @Override
  public long latencyNanos() {
    return releasedNanos - startNanos;
  }

  @Override
  public AttemptSample.Outcome outcome() {
    return releasedAs;
  }

  @Override
  public int inFlight() {
    return inFlightAtStart;
  }

  // ToolContext

  @Override
  public String runId() {
    return node.run.id();
  }

  @Override
  public String callId() {
    return node.call.id();
  }

  @Override
  public @Nullable Instant deadline() {
    return deadline;
  }

  @Override
  public @Nullable Duration remaining() {
    if (deadline == null) {
      return null;
    }
    Duration left = Duration.between(node.run.settings().time().now(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public Map<String, CallResult<?>> dependencies() {
    return node.dependencyResults;
  }
}
