package dev.parallax.planner.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Tools, tickers and executors shared by the cache tests. */
final class CacheTesting {

  /** Bounds every wait of a test so that a bug fails the test instead of hanging the build. */
  static final long WAIT_SECONDS = 30;

  private CacheTesting() {}

  /** A cacheable, idempotent tool taking JSON that counts its runs and echoes its arguments. */
  static Tool<JsonNode, String> counting(String name, AtomicInteger runs) {
    return Tools.named(name)
        .idempotent(true)
        .cacheable(true)
        .function(
            (args, ctx) -> {
              runs.incrementAndGet();
              return name + ":" + args;
            });
  }

  /** An executor in virtual time (no timer thread) with this cache. */
  static ToolExecutor executor(ResultCache cache) {
    return ToolExecutor.builder().timeSource(new VirtualTime()).resultCache(cache).build();
  }

  /** Waits for a latch a test counts on, failing instead of hanging when it never opens. */
  static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("never happened: " + what);
    }
  }

  /** Time that moves only when told to. */
  static final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration duration) {
      nanos.addAndGet(duration.toNanos());
    }
  }
}
