package dev.parallax.planner.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad configurations fail while the policy is built, naming what is wrong. */
class ToolFallbacksValidationTest {

  private static <I> Tool<I, String> tool(String name, Class<I> input, String... capabilities) {
    return Tools.named(name).capabilities(capabilities).input(input).function((in, ctx) -> name);
  }

  private final Tool<String, String> a = tool("search_a", String.class);
  private final Tool<String, String> b = tool("search_b", String.class);
  private final Tool<String, String> c = tool("search_c", String.class);

  @Test
  void chain_listingAToolTwice_isRejected() {
    assertThatThrownBy(() -> ToolFallbacks.builder().chain(a, b, a).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'search_a' appears twice")
        .hasMessageContaining("[search_a, search_b, search_a]");
  }

  @Test
  void chainFallingBackToItself_isRejected() {
    assertThatThrownBy(() -> ToolFallbacks.builder().chain(a, a).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'search_a' appears twice");
  }

  @Test
  void chainsLoopingBackThroughEachOther_areRejected() {
    assertThatThrownBy(() -> ToolFallbacks.builder().chain(a, b).chain(b, a).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("search_a -> search_b -> search_a");
    assertThatThrownBy(() -> ToolFallbacks.builder().chain(a, b).chain(b, c).chain(c, a).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("search_a -> search_b -> search_c -> search_a");
  }

  @Test
  void toolFallingBackToTwoDifferentTools_isRejected() {
    assertThatThrownBy(() -> ToolFallbacks.builder().chain(a, b).chain(a, c).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'search_a' falls back to 'search_b' in one chain and to 'search_c'");
  }

  @Test
  void chain_withoutAlternatives_isRejected() {
    assertThatThrownBy(() -> ToolFallbacks.builder().chain(a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'search_a' names no alternative");
  }

  @Test
  void alternative_withAnIncompatibleInput_isRejected() {
    Tool<Integer, String> numeric = tool("search_n", Integer.class);

    assertThatThrownBy(() -> ToolFallbacks.builder().chain(a, numeric).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'search_n' cannot stand in for tool 'search_a'")
        .hasMessageContaining("java.lang.Integer")
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void alternativeFurtherDownTheChain_withAnIncompatibleInput_isRejected() {
    Tool<Object, String> any = tool("search_any", Object.class);
    Tool<Integer, String> numeric = tool("search_n", Integer.class);

    assertThatThrownBy(() -> ToolFallbacks.builder().chain(a, any).chain(any, numeric).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'search_n' cannot stand in for tool 'search_a'");
  }

  @Test
  void alternative_takingASupertypeOfThePrimarysInput_isAccepted() {
    Tool<CharSequence, String> text = tool("search_text", CharSequence.class);

    ToolFallbacks policy = ToolFallbacks.builder().chain(a, text).build();

    assertThat(policy.alternativesOf("search_a")).containsExactly(text);
  }

  @Test
  void capabilityMembers_withIncompatibleInputs_areRejected() {
    Tool<String, String> s1 = tool("s1", String.class, "web_search");
    Tool<Object, String> s2 = tool("s2", Object.class, "web_search");

    assertThatThrownBy(
            () -> ToolFallbacks.builder().capability("web_search", List.of(s1, s2)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'s1' cannot stand in for tool 's2'")
        .hasMessageContaining("capability 'web_search'");
  }

  @Test
  void capability_withNoTools_isRejected() {
    ToolRegistry registry = ToolRegistry.of(tool("s1", String.class, "maps"), a);

    assertThatThrownBy(() -> ToolFallbacks.builder().capability("web_search", registry).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no tool has capability 'web_search' among [s1, search_a]");
  }

  @Test
  void capability_declaredTwice_isRejected() {
    Tool<String, String> s1 = tool("s1", String.class, "web_search");
    ToolFallbacksBuilder builder = ToolFallbacks.builder().capability("web_search", List.of(s1));

    assertThatThrownBy(() -> builder.capability("web_search", List.of(s1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'web_search' is declared twice");
  }

  @Test
  void twoDifferentToolsWithOneName_areRejected() {
    Tool<String, String> otherA = tool("search_a", String.class);

    assertThatThrownBy(() -> ToolFallbacks.builder().chain(a, b).chain(otherA, c).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two different tools are named 'search_a'");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.5, Double.NaN})
  void minPredictedSuccess_outsideZeroToOne_isRejected(double value) {
    assertThatThrownBy(() -> ToolFallbacks.builder().minPredictedSuccess(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minPredictedSuccess must be within [0, 1], was " + value);
  }

  @Test
  void breakerOptionsThatStartThreadsOrReadTheSystemClock_areRejected() {
    ToolFallbacksBuilder builder = ToolFallbacks.builder();

    assertThatThrownBy(
            () ->
                builder.breaker(
                    CircuitBreakerConfig.custom()
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("automaticTransitionFromOpenToHalfOpenEnabled=true");
    assertThatThrownBy(
            () ->
                builder.breaker(
                    CircuitBreakerConfig.custom()
                        .maxWaitDurationInHalfOpenState(Duration.ofSeconds(5))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWaitDurationInHalfOpenState=PT5S");
    assertThatThrownBy(
            () ->
                builder.breaker(
                    CircuitBreakerConfig.custom()
                        .slidingWindowType(SlidingWindowType.TIME_BASED)
                        .slidingWindowSynchronizationStrategy(
                            SlidingWindowSynchronizationStrategy.LOCK_FREE)
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LOCK_FREE");
  }

  @Test
  void nothingDeclared_isAnIllegalState() {
    assertThatThrownBy(() -> ToolFallbacks.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chain(...) or capability(...)");
  }

  @Test
  void healthOfAToolWithoutABreaker_isRejected() {
    ToolFallbacks policy = ToolFallbacks.builder().chain(a, b).build();

    assertThatThrownBy(() -> policy.health("weather"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no circuit breaker for tool 'weather'")
        .hasMessageContaining("[search_a, search_b]");
  }
}
