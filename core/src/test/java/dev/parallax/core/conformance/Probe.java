package dev.parallax.core.conformance;

import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A real tool, run on the executor's real threads, whose attempts follow a script of (input,
 * attempt) → {@link Step}, and which observes what happens to it: how many attempts started, how
 * many bodies are inside at once (and the most ever), interrupts, whether the attempt saw itself
 * cancelled, and the threads it ran on. Tests wait for it with bounds ({@link #awaitStarts}, {@link
 * #awaitInside}); nothing sleeps. Thread-safe.
 *
 * <p>Inputs are used as given; scripts usually switch on an {@code Integer} input so that one probe
 * can stand for many behaviours and a scenario fits a batch (one tool, many inputs).
 */
public final class Probe implements Tool<Object, Object> {

  /** What one attempt does. */
  public sealed interface Step {}

  /** Returns a value at once. */
  public record Return(@Nullable Object value) implements Step {}

  /** Throws at once. */
  public record Throw(Throwable error) implements Step {}

  /** Blocks until interrupted, then throws the {@code InterruptedException}. */
  public record BlockUntilInterrupted() implements Step {}

  /**
   * Blocks until interrupted, then sets its interrupt flag again and returns {@code value}, like a
   * tool that restores the flag as it should but still returns.
   */
  public record BlockThenRestoreFlag(Object value) implements Step {}

  /**
   * Blocks until {@code release} opens (or {@link Probe#release()} is called), swallowing every
   * interrupt like a badly written tool, then returns {@code value}.
   */
  public record Stubborn(CountDownLatch release, Object value) implements Step {}

  /**
   * Works for {@code duration} of real time, ignoring interrupts (they are counted), then returns
   * {@code value}: a slow tool that does not honour cancellation, for stress tests.
   */
  public record Busy(Duration duration, Object value) implements Step {}

  /** Waits (interruptibly) for {@code gate}, then does {@code then}. */
  public record AwaitGate(CountDownLatch gate, Step then) implements Step {}

  /**
   * Counts {@code all} down and waits (interruptibly) until it reaches zero, then does {@code
   * then}: passes only if every body counting on it is inside at the same time.
   */
  public record Rendezvous(CountDownLatch all, Step then) implements Step {}

  public static Step returns(@Nullable Object value) {
    return new Return(value);
  }

  public static Step fails(Throwable error) {
    return new Throw(error);
  }

  public static Step blocks() {
    return new BlockUntilInterrupted();
  }

  public static Step stubborn(CountDownLatch release, Object value) {
    return new Stubborn(release, value);
  }

  public static Step after(CountDownLatch gate, Step then) {
    return new AwaitGate(gate, then);
  }

  private final ToolSpec spec;
  private final BiFunction<Object, Integer, Step> script;
  private final Set<CountDownLatch> stubbornLatches = new LinkedHashSet<>();
  private boolean releasedAll;

  // guarded by this
  private int starts;
  private int inside;
  private int maxInside;
  private int interrupts;
  private int cancelledBeforeInterrupt;
  private int cancelledWhenInterrupted;
  private final Set<Thread> threads = new LinkedHashSet<>();
  private final List<String> log = new ArrayList<>();

  public Probe(
      String name,
      boolean idempotent,
      boolean concurrencySafe,
      BiFunction<Object, Integer, Step> script) {
    this(name, idempotent, false, concurrencySafe, script);
  }

  public Probe(
      String name,
      boolean idempotent,
      boolean cacheable,
      boolean concurrencySafe,
      BiFunction<Object, Integer, Step> script) {
    this(name, idempotent, cacheable, concurrencySafe, Set.of(), script);
  }

  /** A probe declaring capabilities (for capability policies and fallbacks). */
  public Probe(
      String name,
      boolean idempotent,
      boolean cacheable,
      boolean concurrencySafe,
      Set<String> capabilities,
      BiFunction<Object, Integer, Step> script) {
    this.spec =
        ToolSpec.builder(name)
            .description("conformance probe " + name)
            .idempotent(idempotent)
            .cacheable(cacheable)
            .concurrencySafe(concurrencySafe)
            .capabilities(capabilities)
            .build();
    this.script = script;
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public @Nullable Object call(Object input, ToolContext context) throws Exception {
    String tag = input + "#" + context.attempt();
    synchronized (this) {
      starts++;
      inside++;
      maxInside = Math.max(maxInside, inside);
      threads.add(Thread.currentThread());
      log.add("enter " + tag);
      if (context.isCancelled()) {
        cancelledBeforeInterrupt++;
      }
      notifyAll();
    }
    try {
      return perform(script.apply(input, context.attempt()), context);
    } finally {
      synchronized (this) {
        inside--;
        log.add("exit " + tag);
        notifyAll();
      }
    }
  }

  private @Nullable Object perform(Step step, ToolContext context) throws Exception {
    return switch (step) {
      case Return r -> r.value();
      case Throw t -> throw sneaky(t.error());
      case BlockUntilInterrupted b -> {
        try {
          new CountDownLatch(1).await();
          throw new AssertionError("unreachable");
        } catch (InterruptedException e) {
          interrupted(context);
          throw e;
        }
      }
      case BlockThenRestoreFlag b -> {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          interrupted(context);
          Thread.currentThread().interrupt();
        }
        yield b.value();
      }
      case Stubborn s -> {
        synchronized (this) {
          stubbornLatches.add(s.release());
          if (releasedAll) {
            s.release().countDown(); // started after release(): return at once
          }
        }
        while (true) {
          try {
            s.release().await();
            yield s.value();
          } catch (InterruptedException e) {
            interrupted(context); // swallowed: the tool goes on
          }
        }
      }
      case Busy b -> {
        long end = System.nanoTime() + b.duration().toNanos();
        for (long left = b.duration().toNanos(); left > 0; left = end - System.nanoTime()) {
          LockSupport.parkNanos(left);
          if (Thread.interrupted()) {
            interrupted(context); // swallowed: the work goes on
          }
        }
        yield b.value();
      }
      case AwaitGate g -> {
        try {
          g.gate().await();
        } catch (InterruptedException e) {
          interrupted(context);
          throw e;
        }
        yield perform(g.then(), context);
      }
      case Rendezvous r -> {
        r.all().countDown();
        try {
          r.all().await();
        } catch (InterruptedException e) {
          interrupted(context);
          throw e;
        }
        yield perform(r.then(), context);
      }
    };
  }

  private synchronized void interrupted(ToolContext context) {
    interrupts++;
    if (context.isCancelled()) {
      cancelledWhenInterrupted++;
    }
    notifyAll();
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable error) throws T {
    throw (T) error;
  }

  /** Lets every {@link Stubborn} body, started or not, return (the harness does it at close). */
  public synchronized void release() {
    releasedAll = true;
    stubbornLatches.forEach(CountDownLatch::countDown);
  }

  /** Attempts started so far. */
  public synchronized int starts() {
    return starts;
  }

  /** Bodies running now. */
  public synchronized int inside() {
    return inside;
  }

  /** The most bodies that ever ran at once. */
  public synchronized int maxInside() {
    return maxInside;
  }

  /** Interrupts the bodies saw. */
  public synchronized int interrupts() {
    return interrupts;
  }

  /** Attempts that found {@code isCancelled()} already true when they began. */
  public synchronized int cancelledBeforeInterrupt() {
    return cancelledBeforeInterrupt;
  }

  /** Interrupts at which the attempt's {@code isCancelled()} was true. */
  public synchronized int cancelledWhenInterrupted() {
    return cancelledWhenInterrupted;
  }

  /** The threads the bodies ran on, in order of first use. */
  public synchronized List<Thread> threads() {
    return List.copyOf(threads);
  }

  /** {@code enter INPUT#ATTEMPT} and {@code exit INPUT#ATTEMPT}, in order. */
  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  /** Waits until at least {@code n} attempts have started. */
  public synchronized void awaitStarts(int n) throws InterruptedException {
    awaitCondition(() -> starts >= n, "at least " + n + " attempts started");
  }

  /** Waits until exactly {@code n} bodies are inside. */
  public synchronized void awaitInside(int n) throws InterruptedException {
    awaitCondition(() -> inside == n, n + " bodies inside");
  }

  /** Waits until at least {@code n} interrupts were seen. */
  public synchronized void awaitInterrupts(int n) throws InterruptedException {
    awaitCondition(() -> interrupts >= n, "at least " + n + " interrupts");
  }

  private void awaitCondition(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Harness.WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "probe " + spec.name() + ": not " + what + " within " + Harness.WAIT + "; log " + log);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public String toString() {
    return "Probe[" + spec.name() + "]";
  }
}
