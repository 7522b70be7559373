package dev.parallax.langchain4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.langchain4j.ScriptedChatModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WeatherAssistantExampleTest {

  private static final Path EXAMPLE =
      Path.of("src/test/java/dev/parallax/langchain4j/examples/WeatherAssistantExample.java");
  private static final Path README = Path.of("README.md");

  @Test
  void example_answersWithTheThreeToolResultsInCallOrder() {
    String answer =
        WeatherAssistantExample.ask(
            new ScriptedChatModel(
                List.of(
                    ScriptedChatModel.call("1", "weather", "{\"arg0\":\"Lisbon\"}"),
                    ScriptedChatModel.call("2", "weather", "{\"arg0\":\"Porto\"}"))),
            "weather?");
    assertThat(answer).isEqualTo("sunny in Lisbon | sunny in Porto");
  }

  @Test
  void readme_showsTheQuickStartVerbatim_andOnlyImportsTheExampleUses() throws IOException {
    List<String> source = Files.readAllLines(EXAMPLE);
    int begin = indexOf(source, "// README quick start: begin");
    int end = indexOf(source, "// README quick start: end");
    List<String> snippet = new ArrayList<>();
    for (String line : source.subList(begin + 1, end)) {
      snippet.add(line.length() >= 4 ? line.substring(4) : line.strip());
    }
    String readme = Files.readString(README);
    assertThat(readme).contains(String.join("\n", snippet));
    for (String line : readme.lines().toList()) {
      if (line.startsWith("import ")) {
        assertThat(source).as("README import %s", line).contains(line);
      }
    }
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
