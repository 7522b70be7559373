package dev.parallax.core.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ToolSpecTest {

  @Test
  void badToolName_isRejected_withTheName() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Tools.named("web search").function((in, ctx) -> "x"))
        .withMessage(
            "tool name 'web search' is invalid: use 1 to 64 letters, digits, '_', '-' or '.'");
  }

  @Test
  void capabilities_areDeclared_andBadOnesRejected_withTheTool() {
    Tool<?, ?> search =
        Tools.named("search_b").capabilities("web_search", "lookup").function((in, ctx) -> "x");
    assertThat(search.spec().capabilities()).containsExactlyInAnyOrder("web_search", "lookup");
    assertThat(Tools.named("plain").function((in, ctx) -> "x").spec().capabilities()).isEmpty();
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> Tools.named("search_c").capabilities("web search").function((in, ctx) -> "x"))
        .withMessage(
            "tool search_c: capability 'web search' is invalid: use 1 to 64 letters, digits, '_',"
                + " '-' or '.'");
  }
}
