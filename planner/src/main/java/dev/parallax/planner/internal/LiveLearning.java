package dev.parallax.planner.internal;

import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadModel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/*
 * Live learning of the preload model.
 *
 * The cache hands every finished session (its calls, in order) to sessionEnded. The last `window`
 * sessions are kept. Every `every` finished sessions a relearning is due; it starts if none runs
 * (one compare-and-set on `running`), on the given executor, never on the caller's thread: it takes
 * a copy of the kept sessions, learns a model with a fresh learner and hands it to `install`
 * (which swaps it into the planner under the planner's lock). When it ends it looks again: sessions
 * that finished while it ran may have made the next relearning due. A relearning that throws (or an
 * executor that refuses it) is logged and counted; the model in use stays.
 */

/**
 * Keeps finished sessions and relearns the preload model from them in the background; see the
 * comment at the top of the source. Thread-safe. Internal; may change at any time.
 */
public final class LiveLearning {

  private static final Logger LOG = Logger.getLogger(LiveLearning.class.getName());

  /** The model in use: its version and the sessions it was learnt from. */
  public record Installed(long version, long sessions) {}

  private final int every;
  private final int window;
  private final Supplier<PreloadModel.Learner> learner;
  private final boolean learnerGiven;
  private final Predicate<String> preloadable;
  private final Executor executor;
  private final Consumer<PreloadModel> install;

  private final Deque<List<ObservedCall>> finished = new ArrayDeque<>();
  private int sinceLearn;
  private final AtomicBoolean running = new AtomicBoolean();
  private final LongAdder failures = new LongAdder();
  private volatile Installed installed = new Installed(0, 0);

  /**
   * @param every finished sessions between two relearnings (positive)
   * @param window most finished sessions kept (positive)
   * @param learner makes each relearning's learner
   * @param learnerGiven whether the learner is the user's (used as it comes) or the default (its
   *     targets set to {@code preloadable})
   * @param preloadable tools that may be preloaded, by name
   * @param executor where relearning runs
   * @param install swaps a relearnt model in
   */
  public LiveLearning(
      int every,
      int window,
      Supplier<PreloadModel.Learner> learner,
      boolean learnerGiven,
      Predicate<String> preloadable,
      Executor executor,
      Consumer<PreloadModel> install) {
    if (every < 1 || window < 1) {
      throw new IllegalArgumentException("every and window must be positive");
    }
    this.every = every;
    this.window = window;
    this.learner = Objects.requireNonNull(learner, "learner");
    this.learnerGiven = learnerGiven;
    this.preloadable = Objects.requireNonNull(preloadable, "preloadable");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.install = Objects.requireNonNull(install, "install");
  }

  /** A session finished with these calls (in order); an empty one is ignored. */
  public void sessionEnded(List<ObservedCall> calls) {
    if (calls.isEmpty()) {
      return;
    }
    synchronized (this) {
      finished.addLast(List.copyOf(calls));
      while (finished.size() > window) {
        finished.removeFirst();
      }
      sinceLearn++;
    }
    maybeStart();
  }

  /** The model in use. */
  public Installed installed() {
    return installed;
  }

  /** Relearnings that failed. */
  public long failures() {
    return failures.sum();
  }

  private void maybeStart() {
    List<List<ObservedCall>> batch;
    synchronized (this) {
      if (sinceLearn < every || !running.compareAndSet(false, true)) {
        return;
      }
      sinceLearn = 0;
      batch = List.copyOf(finished);
    }
    try {
      executor.execute(() -> relearn(batch));
    } catch (Throwable e) {
      running.set(false);
      failed("the executor refused the relearning", e);
    }
  }

  private void relearn(List<List<ObservedCall>> batch) {
    try {
      PreloadModel.Learner l = learner.get();
      if (!learnerGiven) {
        l.targets(preloadable);
      }
      PreloadModel model = l.learn(batch);
      install.accept(model);
      installed = new Installed(installed.version() + 1, batch.size());
    } catch (Throwable e) {
      failed("relearning from " + batch.size() + " sessions failed", e);
    } finally {
      running.set(false);
    }
    maybeStart(); // sessions that finished meanwhile may have made the next one due
  }

  private void failed(String what, Throwable e) {
    failures.increment();
    LOG.log(
        Level.WARNING,
        "live preload learning: "
            + what
            + "; the model in use (version "
            + installed.version()
            + ") stays",
        e);
  }
}
