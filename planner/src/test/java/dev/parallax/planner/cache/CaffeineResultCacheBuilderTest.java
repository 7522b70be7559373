package dev.parallax.planner.cache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad values fail where they enter, naming themselves. */
class CaffeineResultCacheBuilderTest {

  @Test
  void negativeBounds_areRejected_namingTheValue() {
    assertThatThrownBy(() -> CaffeineResultCache.builder().maximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumSize must be >= 0, was -1");
    assertThatThrownBy(() -> CaffeineResultCache.builder().maximumWeight(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumWeight must be >= 0, was -5");
  }

  @Test
  void sizeAndWeightBound_together_areAConflict() {
    assertThatThrownBy(() -> CaffeineResultCache.builder().maximumSize(10).maximumWeight(100))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumWeight(100) cannot be combined with maximumSize(10)");
    assertThatThrownBy(() -> CaffeineResultCache.builder().maximumWeight(100).maximumSize(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumSize(10) cannot be combined with maximumWeight(100)");
  }

  @Test
  void timesToLiveThatAreNotPositive_areRejected_namingTheToolAndValue() {
    assertThatThrownBy(() -> CaffeineResultCache.builder().defaultTimeToLive(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("defaultTimeToLive must be positive, was PT0S");
    assertThatThrownBy(
            () -> CaffeineResultCache.builder().timeToLive("news", Duration.ofSeconds(-3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeToLive of tool 'news' must be positive, was PT-3S");
    assertThatThrownBy(() -> CaffeineResultCache.builder().timeToLive(" ", Duration.ofSeconds(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("toolName must not be blank, was ' '");
  }
}
