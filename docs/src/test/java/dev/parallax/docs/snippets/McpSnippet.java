package dev.parallax.docs.snippets;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.mcp.McpToolRegistry;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The README's MCP quick start (compiled; mcp's McpQuickStartTest runs its twin). */
public class McpSnippet {

  void run(Path dir) {
    // README:begin
    ServerParameters server = // the npm filesystem server on stdio, serving `dir`
        ServerParameters.builder("npx")
            .args("-y", "@modelcontextprotocol/server-filesystem@2026.8.31", dir.toString())
            .build();
    try (McpToolRegistry mcp = McpToolRegistry.stdio(server).build();
        ToolExecutor executor =
            ToolExecutor.builder().attemptTimeout(Duration.ofSeconds(30)).build()) {
      ToolRegistry tools = mcp.registry(); // the server's tools, schemas checked before each call
      RunResult run =
          executor.executeParallel( // three tools/call on one session at once
              List.of(
                  tools.call("a", "read_text_file", "{\"path\": \"" + dir.resolve("a.txt") + "\"}"),
                  tools.call("b", "read_text_file", "{\"path\": \"" + dir.resolve("b.txt") + "\"}"),
                  tools.call("c", "list_directory", "{\"path\": \"" + dir + "\"}")));
      for (CallResult<?> result : run.results()) { // in call order
        System.out.println(
            result.callId()
                + " "
                + (result.isSuccess()
                    ? McpToolRegistry.text((CallToolResult) result.value())
                    : result.error().getMessage())); // e.g. the server's isError text
      }
    }
    // README:end
  }
}
