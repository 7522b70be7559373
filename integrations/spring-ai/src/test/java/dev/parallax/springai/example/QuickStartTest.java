package dev.parallax.springai.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class QuickStartTest {

  @Test
  void quickStart_runsBothToolCallsAndQuotesTheirResults() {
    assertThat(QuickStart.ask(QuickStart.scriptedModel()))
        .isEqualTo("temperature(call-1)=21; temperature(call-2)=17");
  }

  @Test
  void readme_showsTheQuickStartVerbatim() throws IOException {
    String snippet =
        snippet(Path.of("src/test/java/dev/parallax/springai/example/QuickStart.java"));
    assertThat(Files.readString(Path.of("README.md"))).contains(snippet);
  }

  /** The lines between the README markers, with their common indentation removed. */
  private static String snippet(Path source) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int begin = indexOf(lines, "// README:spring-ai-quick-start:begin") + 1;
    int end = indexOf(lines, "// README:spring-ai-quick-start:end");
    List<String> body = lines.subList(begin, end);
    int indent =
        body.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("marker not found: " + marker);
  }
}
