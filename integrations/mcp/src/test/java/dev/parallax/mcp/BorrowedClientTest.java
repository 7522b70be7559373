package dev.parallax.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.mcp.testing.McpServers;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients the user built and passes in (sync and async): the same tools, calls return on time when
 * Parallax times them out (no protocol cancellation: the SDK cannot send it), and the registry
 * leaves the client open.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BorrowedClientTest {

  @Test
  void syncClient_toolsCallAndTimeout_clientStaysOpenAfterClose() throws Exception {
    McpSyncClient client =
        McpClient.sync(
                new StdioClientTransport(McpServers.everything(), McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    List<ProcessHandle> tree = List.of();
    try {
      client.initialize();
      tree = McpServers.processesMentioning("mcp-server-everything");
      runThrough(McpToolRegistry.client(client).build());
      // the registry did not close the client
      CallToolResult direct =
          client.callTool(
              McpSchema.CallToolRequest.builder("echo")
                  .arguments(Map.of("message", "still open"))
                  .build());
      assertThat(McpToolRegistry.text(direct)).contains("still open");
    } finally {
      client.closeGracefully();
      killLeftovers(tree);
    }
  }

  @Test
  void asyncClient_toolsCallAndTimeout_clientStaysOpenAfterClose() throws Exception {
    McpAsyncClient client =
        McpClient.async(
                new StdioClientTransport(McpServers.everything(), McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    List<ProcessHandle> tree = List.of();
    try {
      client.initialize().block(Duration.ofSeconds(60));
      tree = McpServers.processesMentioning("mcp-server-everything");
      runThrough(McpToolRegistry.client(client).build());
      CallToolResult direct =
          client
              .callTool(
                  McpSchema.CallToolRequest.builder("echo")
                      .arguments(Map.of("message", "still open"))
                      .build())
              .block(Duration.ofSeconds(30));
      assertThat(McpToolRegistry.text(direct)).contains("still open");
    } finally {
      client.closeGracefully().block(Duration.ofSeconds(10));
      killLeftovers(tree);
    }
  }

  private static void runThrough(McpToolRegistry mcp) {
    try (mcp;
        ToolExecutor executor =
            ToolExecutor.builder().attemptTimeout(Duration.ofMillis(500)).build()) {
      ToolRegistry tools = mcp.registry();
      assertThat(mcp.sendsCancellation()).isFalse();
      RunResult run =
          executor.executeParallel(
              List.of(
                  tools.call("echo", "echo", "{\"message\": \"hi\"}"),
                  tools.call(
                      "slow",
                      "trigger-long-running-operation",
                      "{\"duration\": 20, \"steps\": 1}")));
      assertThat(McpToolRegistry.text((CallToolResult) run.results().get(0).value()))
          .contains("hi");
      assertThat(run.results().get(1).status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(mcp.cancellationsSent()).isZero();
    }
  }

  /**
   * The SDK's close signals only {@code npm exec}; the shell and node it started outlive it (see
   * {@code ServerProcess}), so a test that closes a client itself cleans them up.
   */
  private static void killLeftovers(List<ProcessHandle> tree) throws Exception {
    for (ProcessHandle p : tree) {
      p.destroyForcibly();
      p.onExit().get(30, TimeUnit.SECONDS);
    }
  }
}
