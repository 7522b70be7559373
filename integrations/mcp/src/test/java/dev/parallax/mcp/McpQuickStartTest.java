package dev.parallax.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.mcp.testing.McpServers;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start of {@code integrations/mcp/README.md}: the snippets between the {@code README}
 * markers below are shown there verbatim (checked here), compiled, and the second one is run
 * against the real filesystem server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McpQuickStartTest {

  static ServerParameters server(Path dir) {
    // README: server
    ServerParameters server =
        ServerParameters.builder("npx")
            .args("-y", "@modelcontextprotocol/server-filesystem@2026.8.31", dir.toString())
            .build();
    // README: end
    return server;
  }

  static List<String> quickStart(ServerParameters server, Path dir) {
    // README: quick start
    List<String> lines = new ArrayList<>();
    try (McpToolRegistry mcp = McpToolRegistry.stdio(server).build();
        ToolExecutor executor =
            ToolExecutor.builder().attemptTimeout(Duration.ofSeconds(30)).build()) {
      ToolRegistry tools = mcp.registry(); // the server's tools, schemas checked before each call
      RunResult run =
          executor.executeParallel(
              List.of(
                  tools.call("a", "read_text_file", "{\"path\": \"" + dir.resolve("a.txt") + "\"}"),
                  tools.call("b", "read_text_file", "{\"path\": \"" + dir.resolve("b.txt") + "\"}"),
                  tools.call("c", "list_directory", "{\"path\": \"" + dir + "\"}")));
      for (CallResult<?> result : run.results()) { // in call order
        lines.add(
            result.callId()
                + " "
                + result.status()
                + ": "
                + (result.isSuccess()
                    ? McpToolRegistry.text((CallToolResult) result.value())
                    : result.error().getMessage())); // e.g. the server's isError text
      }
    }
    // README: end
    return lines;
  }

  @Test
  void quickStart_readsTwoFilesAndListsTheDirectory_throughTheRealServer(@TempDir Path dir)
      throws IOException {
    assertThat(server(dir).getArgs()).contains(dir.toString());
    Files.writeString(dir.resolve("a.txt"), "alpha");

    List<String> lines = quickStart(McpServers.filesystem(dir), dir);

    assertThat(lines.get(0)).isEqualTo("a SUCCEEDED: alpha");
    assertThat(lines.get(1)).startsWith("b FAILED: MCP tool 'read_text_file' reported an error:");
    assertThat(lines.get(2)).startsWith("c SUCCEEDED: ").contains("a.txt");
  }

  @Test
  void readme_showsTheSnippetsVerbatim() throws IOException {
    String source =
        Files.readString(Path.of("src/test/java/dev/parallax/mcp/McpQuickStartTest.java"));
    String readme = Files.readString(Path.of("README.md"));
    Matcher snippet =
        Pattern.compile("// README: [a-z ]+\\n(.*?)\\n\\s*// README: end", Pattern.DOTALL)
            .matcher(source);
    int found = 0;
    while (snippet.find()) {
      found++;
      assertThat(readme).contains(dedent(snippet.group(1)));
    }
    assertThat(found).isEqualTo(2);
  }

  private static String dedent(String block) {
    List<String> lines = block.lines().toList();
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l).toList());
  }
}
