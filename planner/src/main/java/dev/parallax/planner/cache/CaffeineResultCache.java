package dev.parallax.planner.cache;

import com.github.benmanes.caffeine.cache.Cache;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.planner.internal.CanonicalJson;
import dev.parallax.planner.internal.CanonicalKey;
import dev.parallax.planner.preload.PreloadStats;
import dev.parallax.planner.preload.Preloading;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/*
 * Single flight.
 *
 * Two maps: `values`, a Caffeine cache of finished results (bounded, a time to live per tool), and
 * `running`, the computations under way, each a CompletableFuture<Outcome> under its key. A lookup
 * of a cacheable call with key K:
 *
 *  1. A value under K in `values` is a HIT.
 *  2. Else the caller tries to register a new future under K in `running` (putIfAbsent). If a
 *     future is there already, the caller waits for it: a HIT when it ends with a value, or it
 *     throws the same error when the tool failed.
 *  3. The caller that registered its future owns it. It reads `values` once more: a computation
 *     that ended between steps 1 and 2 stored its value before leaving `running` (step 4), so this
 *     read sees it, and the owner hands it to its future (a HIT; the tool does not run twice).
 *     Else it starts the computation on a new virtual thread that belongs to the cache and waits
 *     for its future like any other caller: a MISS.
 *  4. The computation runs the tool; on success it stores the value in `values`, then removes its
 *     future from `running`, then completes the future. On failure it stores nothing. Storing
 *     before leaving `running` keeps step 3 sound; completing last means every caller handed a
 *     value can find it stored.
 *
 * Callers wait interruptibly. The executor interrupts a caller's thread when the caller's attempt
 * times out or is cancelled: that caller stops waiting, while the computation, on a thread nobody
 * interrupts, goes on for the other callers and its value is stored. The computation runs in the
 * OpenTelemetry context of the caller that started it, so the tool's own spans stay in that trace.
 * It also runs with that caller's ToolContext: a tool that honours ctx.checkCancelled() stops with a
 * CancellationException once that caller is cancelled. That is the caller's cancellation, not the
 * tool's failure: the other callers do not end with it, they try again (step 1), so one of them
 * runs the tool under its own context.
 *
 * invalidateAll() bumps `generation`, then clears both maps. A computation started before stores its
 * value, then removes it again if the generation moved on; either the clear or that removal takes it
 * out, whichever runs last. Its waiters still get the value.
 *
 * Why not Caffeine's AsyncCache, which has single flight built in: it logs every failed future at
 * WARNING with its stack trace (every tool failure would), and it stores a value in a callback that
 * may run after a waiter was handed the value, so an owner could return before its value is stored.
 */

/**
 * A {@link ResultCache} on Caffeine: reuses the results of tools declared both {@linkplain
 * ToolSpec#cacheable() cacheable} and {@linkplain ToolSpec#idempotent() idempotent}, and runs
 * identical calls that overlap in time only once (single flight). Other tools run directly and
 * report {@link ResultCache.Status#NOT_CACHED}.
 *
 * <pre>{@code
 * CaffeineResultCache cache = CaffeineResultCache.builder()
 *     .maximumSize(10_000)
 *     .defaultTimeToLive(Duration.ofMinutes(10))
 *     .timeToLive("weather", Duration.ofMinutes(1))
 *     .openTelemetry(openTelemetry)
 *     .build();
 * ToolExecutor executor = ToolExecutor.builder().resultCache(cache).build();
 * }</pre>
 *
 * <p><b>Keys.</b> A key is the tool's name and its input written as canonical JSON with Jackson:
 * object members, map entries and bean or record properties sorted by name at every depth, array
 * order kept. Two JSON objects with the same members in another order are one key; so are a map and
 * a record with the same members. What Jackson does not write (fields without getters, for
 * instance) is not part of the key, so an input type must expose everything its result depends on.
 * An input Jackson cannot write (no properties, a cycle, nesting deeper than 1,000 levels) is not
 * cached: the tool runs, the lookup reports {@code NOT_CACHED} and is counted as uncacheable.
 *
 * <p><b>Single flight.</b> The first caller of a key starts the tool on a virtual thread owned by
 * the cache; identical calls arriving before it ends wait for it and report a {@link
 * ResultCache.Status#HIT HIT}. A caller whose attempt times out or is cancelled stops waiting, but
 * the shared computation goes on for the others and its result is stored. When the tool throws,
 * nothing is stored: every caller waiting for that computation gets the same exception (it does not
 * re-run the tool; the executor's retry policy decides what happens next), and the next call runs
 * the tool again.
 *
 * <p><b>Limitations.</b> The shared computation sees the {@link dev.parallax.core.tool.ToolContext}
 * of the caller that started it: its call id, deadline and cancellation flag. A tool that checks
 * {@code isCancelled()} or its deadline therefore stops when that first caller times out, and the
 * callers waiting for it get that failure. A tool that never returns holds its key: later identical
 * calls wait for it until their own timeouts. Cached values are shared, not copied: tools should
 * return immutable values.
 *
 * <p><b>Metrics.</b> Counters {@code parallax.cache.hits}, {@code parallax.cache.misses} and {@code
 * parallax.cache.uncacheable}, each with the attribute {@code gen_ai.tool.name}, from the
 * OpenTelemetry given to the builder; totals in {@link #stats()}. The executor marks each call's
 * span with {@code parallax.cache_hit} from the lookup's status.
 *
 * <p><b>Preloading</b> (off by default; {@link CaffeineResultCacheBuilder#preloading}): after each
 * call, the calls a {@link dev.parallax.planner.preload.PreloadModel} predicts are started early
 * under their keys, so that the real call is a hit; see {@link Preloading}. Spans of preloads are
 * named {@code preload {tool}} and carry {@code parallax.preload=true}; a real call answered by a
 * preload gets {@code parallax.preload_hit=true}; counters {@code parallax.preload.started} and
 * {@code parallax.preload.hits}; totals in {@link #preloadStats()}.
 *
 * <p>Thread-safe.
 */
public final class CaffeineResultCache implements ResultCache {

  private static final ThreadFactory COMPUTATIONS =
      Thread.ofVirtual().name("parallax-cache-", 0).factory();

  private final Cache<CanonicalKey, Outcome> values;
  private final Map<CanonicalKey, CompletableFuture<Outcome>> running = new ConcurrentHashMap<>();

  /** The computations started by {@link #preload}, until they end or are detached. */
  private final Map<CanonicalKey, PreloadFuture> preloads = new ConcurrentHashMap<>();

  /**
   * The future of a preload's computation. Its state is one integer, so that joining, leaving,
   * cancelling and storing race on one compare-and-set: 0 SPECULATIVE (nobody waits for it), n > 0
   * JOINED by n real calls waiting for it (it runs on, nothing cancels it), CANCELLED, SETTLED (its
   * value is being stored: no longer cancelled, joined like a running one). When the last real call
   * waiting stops waiting before the preload ended (its attempt timed out or was cancelled), the
   * preload is SPECULATIVE again and is cancelled: nobody is left to wait for a computation that
   * outlived a real call's timeout, and it must not hold its permit for ever.
   */
  static final class PreloadFuture extends CompletableFuture<Outcome> {
    private static final int SPECULATIVE = 0;
    private static final int CANCELLED = -1;
    private static final int SETTLED = -2;
    private final java.util.concurrent.atomic.AtomicInteger state =
        new java.util.concurrent.atomic.AtomicInteger(SPECULATIVE);

    /**
     * A real call joins: true unless the preload was cancelled first. A caller joined must call
     * {@link #leave} once it stops waiting.
     */
    boolean joinFlight() {
      while (true) {
        int now = state.get();
        if (now == CANCELLED) {
          return false;
        }
        if (now == SETTLED || state.compareAndSet(now, now + 1)) {
          return true;
        }
      }
    }

    /**
     * A joined real call stops waiting; true if it was the last one and the preload has not ended:
     * the preload is speculative again (and the caller cancels it).
     */
    boolean leave() {
      while (true) {
        int now = state.get();
        if (now <= 0) {
          return false; // settled (not counted any more)
        }
        if (state.compareAndSet(now, now - 1)) {
          return now == 1 && !isDone();
        }
      }
    }

    /**
     * The computation ended with a value and is about to store it: true unless the preload was
     * cancelled first; after it, the preload can no longer be cancelled (a value stored is never
     * counted as a cancelled preload).
     */
    boolean settle() {
      while (true) {
        int now = state.get();
        if (now == CANCELLED) {
          return false;
        }
        if (now == SETTLED || state.compareAndSet(now, SETTLED)) {
          return true;
        }
      }
    }

    /**
     * Cancels the preload: true unless a real call waits for it (or it was cancelled, or ended).
     */
    boolean cancelSpeculative() {
      return state.compareAndSet(SPECULATIVE, CANCELLED);
    }
  }

  private final AtomicLong generation = new AtomicLong();
  private final boolean weighValues;
  private final CacheMetrics metrics;
  private final Runnable onJoin;
  private volatile @Nullable Preloader preloader;

  CaffeineResultCache(
      Cache<CanonicalKey, Outcome> values,
      boolean weighValues,
      CacheMetrics metrics,
      Runnable onJoin) {
    this.values = values;
    this.weighValues = weighValues;
    this.metrics = metrics;
    this.onJoin = onJoin;
  }

  /** Starts a builder with the defaults listed on its methods. */
  public static CaffeineResultCacheBuilder builder() {
    return new CaffeineResultCacheBuilder();
  }

  /**
   * Returns the stored result of an identical call, waits for an identical call under way, or runs
   * the tool; see the class description.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting (the shared
   *     computation goes on)
   * @throws Exception what the tool threw
   */
  @Override
  public Lookup lookup(PendingCall call, Object input, Callable<?> tool) throws Exception {
    Lookup lookup = find(call, input, tool);
    Preloader p = preloader;
    if (p != null) {
      p.afterCall(call, input, lookup.value());
    }
    return lookup;
  }

  private Lookup find(PendingCall call, Object input, Callable<?> tool) throws Exception {
    while (true) {
      Lookup found = findOnce(call, input, tool);
      if (found != null) {
        return found;
      }
    }
  }

  /**
   * One try of {@link #find}; {@code null} if it met a cancelled preload, or joined a computation
   * whose tool stopped with a {@link CancellationException} (the context it ran with, that of the
   * caller who started it, was cancelled): try again.
   */
  private @Nullable Lookup findOnce(PendingCall call, Object input, Callable<?> tool)
      throws Exception {
    ToolSpec spec = call.tool().spec();
    if (!spec.cacheable() || !spec.idempotent()) {
      return new Lookup(tool.call(), Status.NOT_CACHED);
    }
    CanonicalKey key;
    try {
      key = CanonicalKey.of(spec.name(), input);
    } catch (IllegalArgumentException e) {
      metrics.uncacheable(spec.name());
      return new Lookup(tool.call(), Status.NOT_CACHED);
    }
    Outcome stored = values.getIfPresent(key);
    if (stored != null) {
      return hit(key, stored.value());
    }
    CompletableFuture<Outcome> mine = new CompletableFuture<>();
    CompletableFuture<Outcome> shared = running.putIfAbsent(key, mine);
    if (shared != null) {
      Outcome outcome;
      if (shared instanceof PreloadFuture preload) {
        if (!preload.joinFlight()) {
          running.remove(key, preload); // cancelled while we looked: help detach it, try again
          return null;
        }
        onJoin.run();
        outcome = awaitJoined(key, preload);
      } else {
        onJoin.run();
        outcome = awaitOutcome(shared);
      }
      if (outcome.error() instanceof CancellationException) {
        // the tool stopped because the caller that started it was cancelled (its context said
        // so): that caller's cancellation, not this caller's failure; try again
        return null;
      }
      return hit(key, outcome.valueOrThrow());
    }
    stored = values.getIfPresent(key);
    if (stored != null) {
      running.remove(key, mine);
      mine.complete(stored);
      return hit(key, stored.value());
    }
    metrics.miss(key.tool());
    start(key, mine, tool);
    return new Lookup(await(mine), Status.MISS);
  }

  /**
   * Joins the call's own preload when the admission control refused the call because that preload
   * holds the tool's permit: a call whose result a preload is computing waits for it (single
   * flight, a {@link ResultCache.Status#HIT HIT} counted as a preload hit) instead of waiting for
   * capacity and cancelling the preload. The preload is joined here, on the run's thread, so
   * nothing cancels it any more; a preload cancelled first is not joined ({@code null}: the call
   * waits for capacity as before). Only running preloads are joined; a stored value needs no join
   * (the call gets a permit once the preload gave its back, and hits).
   *
   * <p>The call counts as waiting for the preload from here on, until its lookup returns, or — if
   * its attempt ends without running it (cancelled or timed out before it started) — until the
   * executor {@linkplain Join#release releases} it; the last call to stop waiting before the
   * preload ended cancels it.
   *
   * @return a lookup that waits for the preload and never runs the tool, or {@code null}
   */
  @Override
  public @Nullable Join joinRefused(PendingCall call, Object input) {
    if (preloads.isEmpty()) {
      return null; // the common case costs no key
    }
    ToolSpec spec = call.tool().spec();
    if (!spec.cacheable() || !spec.idempotent()) {
      return null;
    }
    CanonicalKey key;
    try {
      key = CanonicalKey.of(spec.name(), input);
    } catch (IllegalArgumentException e) {
      return null;
    }
    PreloadFuture preload = preloads.get(key);
    if (preload == null || !preload.joinFlight()) {
      return null;
    }
    onJoin.run();
    return new Join() {
      @Override
      public Lookup call() throws Exception {
        Lookup lookup = hit(key, awaitJoined(key, preload).valueOrThrow());
        Preloader p = preloader;
        if (p != null) {
          p.afterCall(call, input, lookup.value());
        }
        return lookup;
      }

      @Override
      public void release() { // the attempt ended before it waited: it stops waiting all the same
        leave(key, preload);
      }
    };
  }

  /**
   * Drops every stored result and forgets the computations under way: their callers still get their
   * results, but those results are not stored, and new calls start afresh.
   */
  public void invalidateAll() {
    generation.incrementAndGet();
    Preloader p = preloader;
    if (p != null) {
      p.clear();
    }
    running.clear();
    preloads.clear();
    values.invalidateAll();
  }

  /** About how many results are stored (computations under way are not counted). */
  public long estimatedSize() {
    return values.estimatedSize();
  }

  /** Runs Caffeine's pending maintenance (evictions, expirations) now, on this thread. */
  public void cleanUp() {
    values.cleanUp();
  }

  /** The counts since the cache was built. */
  public ResultCacheStats stats() {
    return metrics.snapshot(values.stats().evictionCount());
  }

  /**
   * The counts of preloading, or all zeros when preloading is off (see {@link
   * CaffeineResultCacheBuilder#preloading}).
   */
  public PreloadStats preloadStats() {
    Preloader p = preloader;
    return p == null
        ? new PreloadStats(0, 0, 0, 0, 0, 0, 0, 0, java.util.List.of(), 0, 0, 0, 0, 0)
        : p.stats();
  }

  /**
   * Cancels the preloads no real call has used yet: their tools are interrupted and see {@link
   * dev.parallax.core.tool.ToolContext#isCancelled()}; nothing of theirs is stored. Calls made
   * after this method returns run the tool themselves. A preload a real call already joined is no
   * longer speculative and runs on (joining and cancelling race on one compare-and-set: a real call
   * never waits on a cancelled preload). Does nothing when preloading is off.
   */
  public void cancelPreloads() {
    Preloader p = preloader;
    if (p != null) {
      p.cancelAll();
    }
  }

  /**
   * Ends the preload session under {@code key} now, without waiting for {@link
   * Preloading.Builder#sessionIdle}: its context is dropped, its preloads no real call used yet
   * count as misses (they are not cancelled: a value they store stays in the cache, and a real call
   * that uses it later still counts as a preload hit), and live learning counts the session as
   * ended ({@link PreloadStats#sessionsEnded()}). A later call with the same key starts a new
   * session with an empty context. For a backend that knows when a conversation is over.
   *
   * <p>The key is what {@link Preloading.Builder#sessionKey} gives for the session's calls: by
   * default the baggage entry {@value Preloading#SESSION_BAGGAGE} (the conversation's id, as the
   * LangChain4j and Spring AI integrations set it), else the run id. Thread-safe; a call of that
   * session running at the same time lands in either the ended session or the new one.
   *
   * @return whether a session under the key was open (false also when preloading is off)
   */
  public boolean endSession(Object key) {
    java.util.Objects.requireNonNull(key, "key");
    Preloader p = preloader;
    return p != null && p.endSession(key);
  }

  /**
   * The listener that lets preloads yield to real calls: while a real call is queued for capacity
   * no preload starts, and when a real call has to wait for capacity the running preloads no real
   * call joined are cancelled ({@link PreloadStats#cancelledForCapacity()}). Add it to the executor
   * ({@code ToolExecutor.builder().listener(...)}); the facade does. A listener that ignores
   * everything when preloading is off.
   */
  public ExecutionListener preloadListener() {
    Preloader p = preloader;
    return p == null ? new ExecutionListener() {} : p;
  }

  void preloading(
      Preloading options,
      OpenTelemetry openTelemetry,
      com.github.benmanes.caffeine.cache.Ticker ticker,
      @Nullable AdmissionControl admission,
      @Nullable ExecutionRecordSink records) {
    this.preloader = new Preloader(this, options, openTelemetry, ticker, admission, records);
  }

  /** Whether a value is stored or being computed under the key. */
  boolean holds(CanonicalKey key) {
    return values.getIfPresent(key) != null || running.containsKey(key);
  }

  /** Whether a value is stored under the key. */
  boolean stores(CanonicalKey key) {
    return values.getIfPresent(key) != null;
  }

  /**
   * Starts a computation of {@code body} under {@code key}, like a miss, unless a value is stored
   * or being computed there; {@code wrap} wraps the computation (a span). Returns its thread, or
   * {@code null} if nothing started.
   */
  @Nullable Thread preload(CanonicalKey key, Callable<?> body, UnaryOperator<Runnable> wrap) {
    if (values.getIfPresent(key) != null) {
      return null;
    }
    PreloadFuture mine = new PreloadFuture();
    if (running.putIfAbsent(key, mine) != null) {
      return null;
    }
    Outcome stored = values.getIfPresent(key);
    if (stored != null) {
      running.remove(key, mine);
      mine.complete(stored);
      return null;
    }
    preloads.put(key, mine);
    long startedIn = generation.get();
    Runnable computation = () -> compute(key, mine, body, startedIn);
    try {
      Thread thread = COMPUTATIONS.newThread(wrap.apply(computation));
      thread.start();
      return thread;
    } catch (Throwable e) {
      preloads.remove(key, mine);
      running.remove(key, mine);
      mine.complete(Outcome.failure(e));
      return null;
    }
  }

  /**
   * Detaches a cancelled preload from the single flight: calls made from now on start afresh
   * instead of joining it, and its value, should it still end with one, is not stored.
   */
  void detachPreload(CanonicalKey key) {
    CompletableFuture<Outcome> future = preloads.remove(key);
    if (future != null) {
      running.remove(key, future);
    }
  }

  /**
   * Cancels the preload running under the key, unless a real call joined it: then (or when no
   * preload runs there) returns {@code false} and changes nothing. On {@code true} the preload is
   * detached ({@link #detachPreload}); the caller interrupts its thread.
   */
  boolean cancelPreload(CanonicalKey key) {
    PreloadFuture future = preloads.get(key);
    if (future == null || !future.cancelSpeculative()) {
      return false;
    }
    preloads.remove(key, future);
    running.remove(key, future);
    return true;
  }

  /** Whether a preload's computation runs under the key (joined or not). */
  boolean preloadRunning(CanonicalKey key) {
    return preloads.containsKey(key);
  }

  private Lookup hit(CanonicalKey key, @Nullable Object value) {
    Preloader p = preloader;
    boolean preloaded = p != null && p.claim(key);
    metrics.hit(key.tool());
    return new Lookup(value, Status.HIT, preloaded);
  }

  private static @Nullable Object await(CompletableFuture<Outcome> future) throws Exception {
    return awaitOutcome(future).valueOrThrow();
  }

  /**
   * Waits for a preload this caller joined. The last caller to stop waiting before it ended (its
   * attempt timed out or was cancelled) cancels it: see {@link PreloadFuture}.
   */
  private Outcome awaitJoined(CanonicalKey key, PreloadFuture preload) throws InterruptedException {
    try {
      return awaitOutcome(preload);
    } finally {
      leave(key, preload);
    }
  }

  /** A joined real call stops waiting for the preload; the last one cancels it. */
  private void leave(CanonicalKey key, PreloadFuture preload) {
    if (preload.leave()) {
      Preloader p = preloader;
      if (p != null) {
        p.abandoned(key);
      }
    }
  }

  private static Outcome awaitOutcome(CompletableFuture<Outcome> future)
      throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a shared computation's future failed", e.getCause());
    }
  }

  private void start(CanonicalKey key, CompletableFuture<Outcome> future, Callable<?> tool) {
    long startedIn = generation.get();
    Runnable computation = () -> compute(key, future, tool, startedIn);
    try {
      COMPUTATIONS.newThread(Context.current().wrap(computation)).start();
    } catch (Throwable e) {
      running.remove(key, future);
      future.complete(Outcome.failure(e));
    }
  }

  /** Step 4 of the algorithm; the future is completed whatever happens. */
  private void compute(
      CanonicalKey key, CompletableFuture<Outcome> future, Callable<?> tool, long startedIn) {
    Outcome outcome;
    try {
      Object value = tool.call();
      outcome = Outcome.success(value, weighValues ? weight(key, value) : 1);
    } catch (Throwable e) {
      outcome = Outcome.failure(e);
    }
    try {
      if (!outcome.failed()
          && running.get(key) == future // not detached or invalidated
          && (!(future instanceof PreloadFuture preload) || preload.settle())) { // nor cancelled
        values.put(key, outcome);
        if (generation.get() != startedIn) {
          values.asMap().remove(key, outcome);
        }
      }
      metrics.loaded(!outcome.failed());
    } finally {
      preloads.remove(key, future);
      running.remove(key, future);
      future.complete(outcome);
    }
  }

  /**
   * Characters of the key plus characters of the value as JSON; a value Jackson cannot write weighs
   * as much as its key.
   */
  private static int weight(CanonicalKey key, @Nullable Object value) {
    long total = key.length() + Math.max(0, CanonicalJson.length(value));
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, total));
  }
}
