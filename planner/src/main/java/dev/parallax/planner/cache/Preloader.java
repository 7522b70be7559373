package dev.parallax.planner.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.core.trace.ToolSpanAttributes;
import dev.parallax.planner.internal.CanonicalKey;
import dev.parallax.planner.internal.LiveLearning;
import dev.parallax.planner.internal.PreloadPlanner;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PredictedCall;
import dev.parallax.planner.preload.PreloadStats;
import dev.parallax.planner.preload.Preloading;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/*
 * Preloading inside the result cache.
 *
 * After every real call that returned a value, the cache hands (tool, input, value) to afterCall:
 * the call is turned into JSON, the PreloadPlanner (budget, limits, the model) picks predicted calls,
 * and each is started as a computation of the cache under its key, exactly like a miss would be
 * (same `running` map, same compute step), on a virtual thread of its own, inside a span
 * "preload {tool}" marked parallax.preload=true. A real call with that key then finds the stored
 * value or joins the computation: a HIT. The first such hit claims the preload's mark: counted once,
 * its token goes back to the budget, and the real call's span gets parallax.preload_hit=true.
 *
 * Only tools seen in a real call that are cacheable and idempotent can be preloaded (the cache needs
 * the Tool object to run; it never runs a tool with side effects). Predicted arguments are converted
 * to the tool's input type with Jackson (a Map for Object). No preload starts while real calls are
 * queued for capacity (tracked through the listener the executor calls), and when a real call has
 * to wait for capacity (onWaitingForCapacity) the running preloads are cancelled, except the one
 * computing that call's own result: a real call refused because its own preload holds the tool's
 * permit joins the preload instead (CaffeineResultCache.joinRefused, asked by the executor before
 * the call waits), so a preload never loses its permit to the very call it serves. A preload's future
 * is SPECULATIVE until a real call joins it (JOINED: it runs on, nothing cancels it, until the last
 * real call waiting for it stops waiting before it ended, which cancels it: abandoned()) or it is
 * cancelled (CANCELLED: a real call that meets it detaches it and starts afresh) or its value is
 * stored (SETTLED: no longer cancelled, joined like a running one); the three race on one
 * compare-and-set, so a real call never waits on a cancelled preload and a stored value never
 * counts as a cancelled preload. cancelAll() interrupts
 * the preloads no real call has joined yet.
 *
 * One context per agent session. The options' session key function names the session of each
 * call (by default the baggage entry session.id, else the run id); `sessions`, a Caffeine cache
 * bounded in size and expiring after `sessionIdle` without calls (the cache's ticker), maps each
 * key to its Session: the planner's per-session state (context, shadows, pending preloads) and, with
 * live learning, the session's calls. The model predicts from the calls of the call's own session
 * only; the budget and the rules' ledgers stay shared. A session removed from `sessions` (idle or
 * pushed out; invalidating the result cache leaves sessions alone) ends: the planner drops its
 * context and counts its pending
 * preloads as misses, and live learning gets its calls. Removal runs on the thread doing Caffeine's
 * maintenance (Runnable::run), never blocking for long: relearning runs on its own executor. A call
 * that finds its session ended between the lookup and the planner's lock looks it up again.
 *
 * Everything here runs inside a guard: a failure is logged naming the seam, counted, and never
 * reaches the real call.
 */
final class Preloader implements ExecutionListener {

  private static final Logger LOG = Logger.getLogger(Preloader.class.getName());
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** A preload under way or stored, not yet used by a real call. */
  static final class Mark {
    final PreloadContext context;
    final PredictedCall prediction;
    volatile @Nullable Thread thread;

    Mark(PreloadContext context, PredictedCall prediction) {
      this.context = context;
      this.prediction = prediction;
    }

    void cancel() {
      context.cancelled = true;
      Thread t = thread;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  private final CaffeineResultCache cache;
  private final PreloadPlanner planner;
  private final Map<String, Tool<?, ?>> tools = new ConcurrentHashMap<>();
  private final Map<CanonicalKey, Mark> marks = new ConcurrentHashMap<>();
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private final LongAdder started = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder skippedYield = new LongAdder();
  private final LongAdder seamFailures = new LongAdder();
  private final LongAdder cancelledForCapacity = new LongAdder();
  private final Ticker ticker;
  private final @Nullable AdmissionControl admission;
  private final LongAdder sessionsEnded = new LongAdder();
  private final Preloading options;
  private final Cache<Object, Session> sessions;
  private final @Nullable LiveLearning live;
  private final Tracer tracer;
  private final LongCounter startedCounter;
  private final LongCounter hitCounter;
  private final @Nullable PreloadRecords records;

  /** One agent session: the planner's state of it and, with live learning, its calls. */
  static final class Session {
    final PreloadPlanner.Session state;
    final @Nullable List<ObservedCall> calls;
    boolean ended; // guarded by the planner

    Session(PreloadPlanner.Session state, boolean keepCalls) {
      this.state = state;
      this.calls = keepCalls ? new ArrayList<>() : null;
    }
  }

  Preloader(
      CaffeineResultCache cache,
      Preloading options,
      OpenTelemetry openTelemetry,
      Ticker ticker,
      @Nullable AdmissionControl admission,
      @Nullable ExecutionRecordSink records) {
    this.cache = cache;
    this.records = records == null ? null : new PreloadRecords(records, ticker);
    this.ticker = ticker;
    this.admission = admission;
    this.options = options;
    this.planner = new PreloadPlanner(options);
    options.tools().forEach(t -> tools.put(t.name(), t));
    this.sessions =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(Runnable::run)
            .expireAfterAccess(options.sessionIdle())
            .maximumSize(options.maxSessions())
            .removalListener(
                (@Nullable Object key, @Nullable Session session, RemovalCause cause) -> {
                  if (session != null && cause != RemovalCause.REPLACED) {
                    endSession(session);
                  }
                })
            .build();
    if (options.learnEverySessions() > 0) {
      Executor executor = options.learnExecutor();
      this.live =
          new LiveLearning(
              options.learnEverySessions(),
              options.learnWindow(),
              options.learner(),
              options.learnerGiven(),
              tools::containsKey,
              executor != null
                  ? executor
                  : r -> Thread.ofVirtual().name("parallax-preload-learning").start(r),
              model -> {
                synchronized (planner) {
                  planner.model(model);
                }
              });
    } else {
      this.live = null;
    }
    this.tracer = openTelemetry.getTracer(CacheMetrics.SCOPE);
    var meter = openTelemetry.getMeter(CacheMetrics.SCOPE);
    this.startedCounter =
        meter
            .counterBuilder("parallax.preload.started")
            .setDescription("Predicted tool calls started early into the result cache")
            .setUnit("{call}")
            .build();
    this.hitCounter =
        meter
            .counterBuilder("parallax.preload.hits")
            .setDescription("Real tool calls answered by a preloaded result")
            .setUnit("{call}")
            .build();
  }

  /** After a real call returned {@code value}: learn the context, start what is predicted. */
  void afterCall(PendingCall call, Object input, @Nullable Object value) {
    try {
      Tool<?, ?> tool = call.tool();
      ToolSpec spec = tool.spec();
      if (spec.cacheable() && spec.idempotent()) {
        tools.putIfAbsent(spec.name(), tool);
      }
      ObservedCall observed = observe(spec.name(), input, value);
      if (observed == null) {
        return; // an input Jackson cannot write as JSON: nothing to learn or predict from
      }
      Object key = sessionKey(call);
      List<PredictedCall> start = null;
      for (int tries = 0; start == null; tries++) {
        Session session = sessions.get(key, k -> newSession());
        synchronized (planner) {
          if (!session.ended || tries >= 2) { // ended meanwhile: look the key up again
            if (session.calls != null
                && session.calls.size() < Preloading.Builder.MAX_CALLS_LEARNT_PER_SESSION) {
              session.calls.add(observed);
            }
            start = planner.afterCall(session.state, observed, inFlight.get(), this::wanted);
          }
        }
      }
      for (PredictedCall p : start) {
        if (!launch(p)) {
          synchronized (planner) {
            planner.notStarted(p);
          }
        }
      }
    } catch (Throwable e) {
      seamFailures.increment();
      LOG.log(
          Level.WARNING,
          "preloading failed after call "
              + call.callId()
              + " of tool '"
              + call.tool().name()
              + "'; the call is not affected",
          e);
    }
  }

  /** Called inside Caffeine's computation of the key: takes no lock (the planner's neither). */
  private Session newSession() {
    return new Session(planner.newSession(), live != null);
  }

  /** The call's session key: the options' function, the run id if it returns null or throws. */
  private Object sessionKey(PendingCall call) {
    try {
      Object key = options.sessionKey().apply(call);
      return key != null ? key : call.runId();
    } catch (Throwable e) {
      seamFailures.increment();
      LOG.log(
          Level.WARNING,
          "the preload session key function failed for call "
              + call.callId()
              + "; its run id is used",
          e);
      return call.runId();
    }
  }

  /**
   * Ends the session under {@code key} now, as if it had gone idle: returns whether one was open.
   * Removing it from `sessions` runs the removal listener on this thread (Runnable::run).
   */
  boolean endSession(Object key) {
    return sessions.asMap().remove(key) != null;
  }

  /** A session left `sessions`: its context goes, its preloads not used are misses. */
  private void endSession(Session session) {
    try {
      List<ObservedCall> calls;
      synchronized (planner) {
        if (session.ended) {
          return;
        }
        session.ended = true;
        planner.endSession(session.state);
        calls = session.calls == null ? null : List.copyOf(session.calls);
      }
      sessionsEnded.increment();
      LiveLearning l = live;
      if (l != null && calls != null) {
        l.sessionEnded(calls);
      }
    } catch (Throwable e) {
      seamFailures.increment();
      LOG.log(Level.WARNING, "ending a preload session failed", e);
    }
  }

  /** The call as JSON; without its result if that cannot be converted; null without input. */
  private static @Nullable ObservedCall observe(String tool, Object input, @Nullable Object value) {
    try {
      return ObservedCall.of(tool, input, value);
    } catch (IllegalArgumentException e) {
      try {
        return ObservedCall.of(tool, input, null);
      } catch (IllegalArgumentException again) {
        return null;
      }
    }
  }

  /**
   * A real call got a HIT under {@code key}: if a preload put it there, count it once. Returns
   * whether the value came from a preload (the first real call to use it: later ones are plain hits
   * of a stored value).
   */
  boolean claim(CanonicalKey key) {
    Mark mark = marks.remove(key);
    if (mark == null) {
      return false;
    }
    hits.increment();
    hitCounter.add(1, Attributes.of(ToolSpanAttributes.TOOL_NAME, key.tool()));
    synchronized (planner) {
      planner.used(mark.prediction);
    }
    Span.current().setAttribute(Preloading.PRELOAD_HIT, true);
    return true;
  }

  /**
   * Interrupts every preload no real call has used yet; a running preload a real call joined runs
   * on (it is no longer speculative).
   */
  void cancelAll() {
    for (Map.Entry<CanonicalKey, Mark> e : marks.entrySet()) {
      CanonicalKey key = e.getKey();
      if (cache.preloadRunning(key) && !cache.cancelPreload(key)) {
        continue; // joined by a real call (or it just ended)
      }
      if (marks.remove(key, e.getValue())) {
        cache.detachPreload(key);
        e.getValue().cancel();
        synchronized (planner) {
          planner.missed(e.getValue().prediction);
        }
      }
    }
  }

  /**
   * Real calls wait for capacity: interrupts the preloads running now that no real call joined, so
   * that speculative work yields the backends to them. A preload a real call joined runs on; a
   * stored one stays, and so does the preload of the waiting call's own result ({@code own}): the
   * call joins it when its turn comes ({@link CaffeineResultCache#joinRefused}). A preload
   * cancelled so does not count against its rule (it was not wrong, only in the way), but its token
   * is spent.
   */
  void cancelRunning(@Nullable CanonicalKey own) {
    for (Map.Entry<CanonicalKey, Mark> e : marks.entrySet()) {
      if (e.getKey().equals(own)) {
        continue; // the waiting call's own result: it joins this preload when its turn comes
      }
      if (cache.cancelPreload(e.getKey()) && marks.remove(e.getKey(), e.getValue())) {
        e.getValue().cancel();
        cancelledForCapacity.increment();
        synchronized (planner) {
          planner.cancelled(e.getValue().prediction);
        }
      }
    }
  }

  /**
   * Every real call that joined the preload under the key stopped waiting before it ended (timed
   * out, cancelled): it is speculative again and is cancelled now, so that a computation that
   * outlived a real call's timeout does not hold its permit for ever. Counted failed (nothing is
   * stored), not against its rule. Never throws.
   */
  void abandoned(CanonicalKey key) {
    try {
      Mark mark = marks.get(key);
      if (mark != null && cache.cancelPreload(key) && marks.remove(key, mark)) {
        mark.cancel();
        synchronized (planner) {
          planner.cancelled(mark.prediction);
        }
      }
    } catch (Throwable e) {
      seamFailures.increment();
      LOG.log(Level.WARNING, "cancelling the abandoned preload of " + key + " failed", e);
    }
  }

  /** Forgets the marks (after the cache was invalidated). */
  void clear() {
    marks.clear();
  }

  PreloadStats stats() {
    sessions.cleanUp(); // ends the sessions idle past the bound now
    LiveLearning l = live;
    LiveLearning.Installed installed = l == null ? new LiveLearning.Installed(0, 0) : l.installed();
    long budget;
    long flight;
    long suspended;
    List<String> rules;
    synchronized (planner) {
      budget = planner.skippedBudget();
      flight = planner.skippedInFlight();
      suspended = planner.skippedSuspended();
      rules = planner.suspendedRules();
    }
    return new PreloadStats(
        started.sum(),
        hits.sum(),
        failed.sum(),
        skippedYield.sum(),
        budget,
        flight,
        seamFailures.sum(),
        suspended,
        rules,
        cancelledForCapacity.sum(),
        sessionsEnded.sum(),
        installed.version(),
        installed.sessions(),
        l == null ? 0 : l.failures());
  }

  private boolean wanted(PredictedCall p) {
    Tool<?, ?> tool = tools.get(p.tool());
    if (tool == null) {
      return false;
    }
    if (!waiting.isEmpty()) {
      skippedYield.increment();
      return false;
    }
    return !cache.holds(CanonicalKey.of(p.tool(), input(tool, p)));
  }

  private boolean launch(PredictedCall p) {
    @SuppressWarnings("unchecked")
    Tool<Object, ?> tool = (Tool<Object, ?>) tools.get(p.tool());
    if (tool == null) {
      return false;
    }
    Object input = input(tool, p);
    CanonicalKey key = CanonicalKey.of(p.tool(), input);
    String id = "preload-" + ids.incrementAndGet();
    PreloadPermit permit = null;
    if (admission != null) {
      permit = PreloadPermit.take(admission, id, tool, input);
      if (permit == null) {
        skippedYield.increment(); // the tool is at its limit: real calls come first
        return false;
      }
    }
    PreloadContext context = new PreloadContext(id);
    Mark mark = new Mark(context, p);
    PreloadRecords.Ran ran = new PreloadRecords.Ran();
    PreloadRecords recorder = records;
    Callable<?> body =
        recorder == null
            ? () -> tool.call(input, context)
            : recorder.timed(tool, input, context, ran);
    // registered before the computation is visible, so that a real call joining it claims it
    marks.put(key, mark);
    inFlight.incrementAndGet();
    PreloadPermit held = permit;
    Thread thread;
    try {
      thread =
          cache.preload(
              key,
              body,
              computation ->
                  () -> {
                    try {
                      runTraced(p, id, key, mark, held, computation);
                    } finally {
                      record(recorder, tool, input, id, ran, context);
                    }
                  });
    } catch (RuntimeException | Error e) {
      release(held, key, mark, 0);
      inFlight.decrementAndGet();
      marks.remove(key, mark);
      throw e;
    }
    if (thread == null) {
      release(held, key, mark, 0);
      inFlight.decrementAndGet();
      marks.remove(key, mark);
      return false;
    }
    mark.thread = thread;
    started.increment();
    startedCounter.add(1, Attributes.of(ToolSpanAttributes.TOOL_NAME, p.tool()));
    return true;
  }

  @SuppressWarnings("try") // the scope only makes the span current for the body
  private void runTraced(
      PredictedCall p,
      String id,
      CanonicalKey key,
      Mark mark,
      @Nullable PreloadPermit permit,
      Runnable body) {
    long start = ticker.read();
    Span span =
        tracer
            .spanBuilder("preload " + p.tool())
            .setParent(Context.root())
            .setAttribute(ToolSpanAttributes.TOOL_NAME, p.tool())
            .setAttribute(ToolSpanAttributes.TOOL_CALL_ID, id)
            .setAttribute(Preloading.PRELOAD, true)
            .setAttribute(Preloading.PRELOAD_PROBABILITY, p.probability())
            .startSpan();
    try (var scope = span.makeCurrent()) {
      body.run();
    } finally {
      release(permit, key, mark, ticker.read() - start);
      inFlight.decrementAndGet();
      // cancelled: failed even if a real call has stored the key since (it ran the tool itself)
      if (mark.context.cancelled || !cache.stores(key)) {
        failed.increment();
        if (marks.remove(key, mark)) {
          synchronized (planner) {
            planner.missed(p);
          }
        }
      }
      span.end();
    }
  }

  /** Hands the preload's record to the sink, if one is set; whatever it throws is counted. */
  private void record(
      @Nullable PreloadRecords recorder,
      Tool<Object, ?> tool,
      Object input,
      String id,
      PreloadRecords.Ran ran,
      PreloadContext context) {
    if (recorder == null) {
      return;
    }
    try {
      recorder.emit(tool, input, id, ran, context.cancelled);
    } catch (Throwable e) {
      seamFailures.increment();
      LOG.log(
          Level.WARNING,
          "the preload record sink failed for "
              + id
              + " of tool '"
              + tool.name()
              + "'; the preload and the real calls are not affected",
          e);
    }
  }

  /** Gives a preload's permit back (if it took one), as success if its value is stored. */
  private void release(@Nullable PreloadPermit permit, CanonicalKey key, Mark mark, long nanos) {
    if (permit == null) {
      return;
    }
    try {
      permit.release(
          cache.stores(key)
              ? AttemptSample.Outcome.SUCCESS
              : mark.context.cancelled
                  ? AttemptSample.Outcome.CANCELLED
                  : AttemptSample.Outcome.FAILURE,
          nanos);
    } catch (Throwable e) {
      seamFailures.increment();
      LOG.log(Level.WARNING, "the admission control failed to release a preload's permit", e);
    }
  }

  private static Object input(Tool<?, ?> tool, PredictedCall p) {
    Class<?> type = tool.spec().inputType();
    if (type == Object.class || type == Map.class) {
      return JSON.convertValue(p.arguments(), Map.class);
    }
    if (type.isInstance(p.arguments())) {
      return p.arguments();
    }
    return JSON.convertValue(p.arguments(), type);
  }

  @Override
  public void onQueued(PendingCall call) {
    waiting.add(call.runId() + '\u0000' + call.callId());
  }

  @Override
  public void onWaitingForCapacity(PendingCall call) {
    try {
      if (!marks.isEmpty()) {
        cancelRunning(keyOf(call));
      }
    } catch (Throwable e) {
      seamFailures.increment();
      LOG.log(
          Level.WARNING,
          "cancelling preloads for call " + call.callId() + " waiting for capacity failed",
          e);
    }
  }

  /** The cache key of a real call, or null if it has none (not cacheable, no JSON input). */
  private static @Nullable CanonicalKey keyOf(PendingCall call) {
    ToolSpec spec = call.tool().spec();
    Object input = call.call().input();
    if (!spec.cacheable() || !spec.idempotent() || input == null) {
      return null;
    }
    try {
      return CanonicalKey.of(spec.name(), input);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void onStarted(PendingCall call, int attempt) {
    waiting.remove(call.runId() + '\u0000' + call.callId());
  }

  @Override
  public void onFinished(PendingCall call, CallResult<?> result) {
    waiting.remove(call.runId() + '\u0000' + call.callId());
  }

  @Override
  public void onSkipped(PendingCall call, CallResult<?> result) {
    waiting.remove(call.runId() + '\u0000' + call.callId());
  }

  /** The context a preloaded tool sees: its own id, no deadline, cancelled by cancelAll(). */
  static final class PreloadContext implements ToolContext {
    private final String callId;
    volatile boolean cancelled;

    PreloadContext(String callId) {
      this.callId = callId;
    }

    @Override
    public String runId() {
      return "preload";
    }

    @Override
    public String callId() {
      return callId;
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public @Nullable Instant deadline() {
      return null;
    }

    @Override
    public @Nullable Duration remaining() {
      return null;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public Map<String, CallResult<?>> dependencies() {
      return Map.of();
    }
  }
}
