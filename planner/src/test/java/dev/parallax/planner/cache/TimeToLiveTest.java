package dev.parallax.planner.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.planner.cache.CacheTesting.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Results expire after their tool's time to live, measured with a fake ticker. */
class TimeToLiveTest {

  private static final Duration NEWS_TTL = Duration.ofSeconds(60);
  private static final Duration QUOTES_TTL = Duration.ofSeconds(10);
  private static final Duration NANO = Duration.ofNanos(1);

  private final FakeTicker ticker = new FakeTicker();
  private final AtomicInteger newsRuns = new AtomicInteger();
  private final AtomicInteger quotesRuns = new AtomicInteger();
  private final ToolRegistry registry =
      ToolRegistry.of(
          CacheTesting.counting("news", newsRuns), CacheTesting.counting("quotes", quotesRuns));
  private final CaffeineResultCache cache =
      CaffeineResultCache.builder()
          .ticker(ticker)
          .executor(Runnable::run)
          .defaultTimeToLive(NEWS_TTL)
          .timeToLive("quotes", QUOTES_TTL)
          .build();
  private final ToolExecutor executor = CacheTesting.executor(cache);
  private int callNumber;

  @AfterEach
  void close() {
    executor.close();
  }

  /** Calls both tools once with the same arguments as always. */
  private void callBoth() {
    executor.executeSequential(
        List.of(
            registry.call("news-" + ++callNumber, "news", "{\"topic\":\"jvm\"}"),
            registry.call("quotes-" + callNumber, "quotes", "{\"symbol\":\"ORCL\"}")));
  }

  @Test
  void eachToolsResult_expiresAfterItsOwnTimeToLive_notBefore() {
    callBoth(); // t = 0: both stored
    assertThat(newsRuns).hasValue(1);
    assertThat(quotesRuns).hasValue(1);

    ticker.advance(QUOTES_TTL.minus(NANO));
    callBoth(); // t = 10 s - 1 ns: both still fresh
    assertThat(newsRuns).hasValue(1);
    assertThat(quotesRuns).hasValue(1);

    ticker.advance(NANO);
    callBoth(); // t = 10 s: quotes expired and stored again; news fresh
    assertThat(newsRuns).hasValue(1);
    assertThat(quotesRuns).hasValue(2);

    ticker.advance(NEWS_TTL.minus(QUOTES_TTL).minus(NANO));
    callBoth(); // t = 60 s - 1 ns: news still fresh; quotes (stored at 10 s) expired at 20 s
    assertThat(newsRuns).hasValue(1);
    assertThat(quotesRuns).hasValue(3);

    ticker.advance(NANO);
    callBoth(); // t = 60 s: news expired; quotes (stored at 60 s - 1 ns) fresh
    assertThat(newsRuns).hasValue(2);
    assertThat(quotesRuns).hasValue(3);
    assertThat(cache.stats().hits()).isEqualTo(2 + 1 + 1 + 1);
  }

  @Test
  void expiredResults_areEvicted_andCounted() {
    callBoth();
    ticker.advance(NEWS_TTL);
    cache.cleanUp();
    assertThat(cache.estimatedSize()).isZero();
    assertThat(cache.stats().evictions()).isEqualTo(2);
  }
}
