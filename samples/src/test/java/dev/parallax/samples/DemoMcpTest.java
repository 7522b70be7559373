package dev.parallax.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.samples.demo.McpScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DemoMcpTest {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void mcpScenario_readsFilesThroughTheRealFilesystemServer_orSaysWhyItIsSkipped() {
    StringWriter out = new StringWriter();

    new McpScenario(new PrintWriter(out, true)).run(11);

    String text = out.toString();
    System.out.println(text);
    assertThat(text).contains("--- Demo 11: Tools of a real MCP server (filesystem, stdio) ---");
    boolean required =
        "true"
            .equalsIgnoreCase(
                System.getProperty("PARALLAX_REQUIRE_MCP", System.getenv("PARALLAX_REQUIRE_MCP")));
    if (!required && text.contains("Skipped:")) {
      assertThat(text.lines().filter(l -> l.startsWith("Skipped:"))).hasSize(1);
      return;
    }
    assertThat(text)
        .contains("tools listed, e.g. read_text_file (idempotent=true")
        .contains("10 calls on one session: one after another")
        .contains("[read1] SUCCEEDED: note 1: xxxxxxxxxx")
        .contains("[read8] SUCCEEDED: note 8:")
        .contains("[missing] FAILED: MCP tool 'read_text_file' reported an error:")
        .contains("[typo] FAILED:");
  }
}
