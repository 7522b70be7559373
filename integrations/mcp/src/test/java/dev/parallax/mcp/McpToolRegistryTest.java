package dev.parallax.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.InvalidArgumentsException;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.mcp.testing.McpServers;
import dev.parallax.mcp.testing.RecordingTransport;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tools of the real npm MCP servers (server-everything, server-filesystem) run by Parallax. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class McpToolRegistryTest {

  @Test
  void listTools_givesNameDescriptionSchemaAndHintsOfEveryServerTool() {
    try (McpToolRegistry mcp = McpToolRegistry.stdio(McpServers.everything()).build()) {
      ToolRegistry tools = mcp.registry();

      assertThat(mcp.serverTools()).hasSize(tools.tools().size());
      assertThat(tools.find("echo")).isPresent();
      assertThat(tools.find("get-sum")).isPresent();
      assertThat(tools.find("trigger-long-running-operation")).isPresent();
      ToolSpec echo = tools.require("echo").spec();
      assertThat(echo.description()).isNotBlank();
      assertThat(echo.inputSchema()).contains("\"message\"").contains("\"required\"");
      // readOnlyHint true, openWorldHint false
      assertThat(echo.idempotent()).isTrue();
      assertThat(echo.cacheable()).isTrue();
      // readOnlyHint false, idempotentHint false
      ToolSpec toggle = tools.require("toggle-simulated-logging").spec();
      assertThat(toggle.idempotent()).isFalse();
      assertThat(toggle.cacheable()).isFalse();
      assertThat(mcp.sendsCancellation()).isTrue();
    }
  }

  @Test
  void configuration_overridesTheAnnotations_andPrefixesNames() {
    try (McpToolRegistry mcp =
        McpToolRegistry.stdio(McpServers.everything())
            .namePrefix("ev.")
            .filter(tool -> tool.name().startsWith("echo") || tool.name().startsWith("toggle"))
            .idempotent("toggle-simulated-logging", true)
            .cacheable("echo", false)
            .build()) {
      ToolRegistry tools = mcp.registry();
      assertThat(tools.tools())
          .extracting(t -> t.name())
          .containsExactlyInAnyOrder(
              "ev.echo", "ev.toggle-simulated-logging", "ev.toggle-subscriber-updates");
      assertThat(tools.require("ev.toggle-simulated-logging").spec().idempotent()).isTrue();
      assertThat(tools.require("ev.echo").spec().cacheable()).isFalse();
    }
  }

  @Test
  void argumentsAgainstTheSchema_areRejectedByCoreBeforeTheCall() {
    try (McpToolRegistry mcp = McpToolRegistry.stdio(McpServers.everything()).build();
        ToolExecutor executor = ToolExecutor.builder().build()) {
      ToolRegistry tools = mcp.registry();
      RunResult run =
          executor.executeParallel(
              List.of(
                  tools.call("ok", "get-sum", "{\"a\": 2, \"b\": 3}"),
                  tools.call("bad", "get-sum", "{\"a\": \"two\", \"b\": 3}")));

      assertThat(McpToolRegistry.text((CallToolResult) run.results().get(0).value())).contains("5");
      CallResult<?> bad = run.results().get(1);
      assertThat(bad.status()).isEqualTo(CallStatus.FAILED);
      assertThat(bad.error()).isInstanceOf(InvalidArgumentsException.class);
      assertThat(bad.attempts()).isZero();
    }
  }

  @Test
  void twentyConcurrentCalls_shareOneSession_allOnTheWireBeforeTheFirstAnswer_resultsInCallOrder() {
    RecordingTransport wire =
        new RecordingTransport(
            new StdioClientTransport(McpServers.everything(), McpJsonDefaults.getMapper()));
    try (McpToolRegistry mcp = McpToolRegistry.transport(wire).build();
        ToolExecutor executor = ToolExecutor.builder().maxConcurrency(20).build()) {
      ToolRegistry tools = mcp.registry();
      List<ToolCall<?, ?>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(
            tools.call(
                "c" + i,
                "trigger-long-running-operation",
                "{\"duration\": 1, \"steps\": " + (i + 1) + "}"));
      }

      RunResult run = executor.executeParallel(calls);

      for (int i = 0; i < 20; i++) {
        CallResult<?> result = run.results().get(i);
        assertThat(result.callId()).isEqualTo("c" + i);
        assertThat(result.status())
            .as("call c%d: %s", i, result.error())
            .isEqualTo(CallStatus.SUCCEEDED);
        assertThat(McpToolRegistry.text((CallToolResult) result.value()))
            .contains("Steps: " + (i + 1) + ".");
      }
      // every request (each takes the server 1 s) was on the wire before any of them answered:
      // the 20 calls shared the session at once rather than queueing behind each other
      List<String> events = wire.events();
      List<String> fromFirstCall = events.subList(events.indexOf("sent"), events.size());
      assertThat(fromFirstCall.subList(0, 20)).as("%s", events).containsOnly("sent");
      assertThat(fromFirstCall.subList(20, fromFirstCall.size())).containsOnly("answer");
    }
  }

  @Test
  void requestTimeout_failsTheCallClearly_andSendsCancelled() {
    try (McpToolRegistry mcp =
            McpToolRegistry.stdio(McpServers.everything())
                .requestTimeout(Duration.ofMillis(500))
                .build();
        ToolExecutor executor = ToolExecutor.builder().build()) {
      CallResult<?> result =
          executor
              .executeParallel(
                  List.of(
                      mcp.registry()
                          .call(
                              "slow",
                              "trigger-long-running-operation",
                              "{\"duration\": 30, \"steps\": 1}")))
              .results()
              .get(0);

      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(result.error())
          .isInstanceOf(McpServerUnavailableException.class)
          .hasMessageContaining("did not answer tools/call trigger-long-running-operation")
          .hasMessageContaining("within the request timeout of PT0.5S");
      assertThat(mcp.cancellationsSent()).isEqualTo(1);
    }
  }

  @Test
  void longRunningCall_timedOut_sendsCancelled_andTheServerNeverAnswersIt() throws Exception {
    try (McpToolRegistry mcp = McpToolRegistry.stdio(McpServers.everything()).build()) {
      ToolRegistry tools = mcp.registry();
      try (ToolExecutor timed =
          ToolExecutor.builder().attemptTimeout(Duration.ofMillis(300)).build()) {
        RunResult run =
            timed.executeParallel(
                List.of(
                    tools.call(
                        "slow",
                        "trigger-long-running-operation",
                        "{\"duration\": 2, \"steps\": 1}")));
        assertThat(run.results().get(0).status()).isEqualTo(CallStatus.TIMED_OUT);
      }
      // a second call of the same length started later: when it answers, the first one's answer
      // would have come before it had the server ignored the cancellation
      try (ToolExecutor executor = ToolExecutor.builder().build()) {
        RunResult later =
            executor.executeParallel(
                List.of(
                    tools.call(
                        "later",
                        "trigger-long-running-operation",
                        "{\"duration\": 2, \"steps\": 1}")));
        assertThat(later.results().get(0).status()).isEqualTo(CallStatus.SUCCEEDED);
      }
      assertThat(mcp.cancellationsSent()).isEqualTo(1);
      assertThat(mcp.answersAfterCancel()).isZero();
    }
  }

  @Test
  void serverKilledMidCall_failsTheCallClearly_neverHangs_andLaterCallsFailAtOnce()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    try (McpToolRegistry mcp = McpToolRegistry.stdio(McpServers.everything()).build();
        ToolExecutor executor =
            ToolExecutor.builder()
                .listener(
                    new ExecutionListener() {
                      @Override
                      public void onStarted(PendingCall call, int attempt) {
                        started.countDown();
                      }
                    })
                .build()) {
      ToolRegistry tools = mcp.registry();
      List<ProcessHandle> servers = McpServers.processesMentioning("mcp-server-everything");
      assertThat(servers).isNotEmpty();
      // no attempt timeout and the SDK's request timeout of 60 s: only the exit can end the call
      var pending =
          executor.executeParallelAsync(
              List.of(
                  tools.call(
                      "long",
                      "trigger-long-running-operation",
                      "{\"duration\": 600, \"steps\": 1}")));
      // killed once the call runs; a kill before its request is written fails it the same way
      started.await();
      ProcessHandle node =
          servers.stream()
              .filter(p -> p.info().command().map(c -> c.endsWith("node")).orElse(false))
              .filter(p -> p.info().commandLine().map(c -> !c.contains("npm")).orElse(true))
              .reduce((a, b) -> b)
              .orElseThrow();
      node.destroyForcibly();

      CallResult<?> result = pending.get(30, TimeUnit.SECONDS).results().get(0);
      assertThat(result.status()).isEqualTo(CallStatus.FAILED);
      assertThat(result.error())
          .isInstanceOf(McpServerUnavailableException.class)
          .hasMessageContaining("exited");

      CallResult<?> after =
          executor
              .executeParallel(List.of(tools.call("after", "echo", "{\"message\": \"x\"}")))
              .results()
              .get(0);
      assertThat(after.status()).isEqualTo(CallStatus.FAILED);
      assertThat(after.error())
          .isInstanceOf(McpServerUnavailableException.class)
          .hasMessageContaining("call not sent")
          .hasMessageContaining("exited");
    }
  }

  @Test
  void close_killsTheWholeServerProcessTree() throws Exception {
    List<ProcessHandle> tree;
    try (McpToolRegistry mcp = McpToolRegistry.stdio(McpServers.everything()).build()) {
      assertThat(mcp.registry().tools()).isNotEmpty();
      tree = McpServers.processesMentioning("mcp-server-everything");
      assertThat(tree).isNotEmpty();
    }
    for (ProcessHandle p : tree) {
      p.onExit().get(30, TimeUnit.SECONDS);
      assertThat(p.isAlive()).as("process %s", p.info().commandLine()).isFalse();
    }
  }

  @Test
  void isError_failsTheCallWithTheServersText_siblingsKeepTheirResults(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("hello.txt"), "hello from a file");
    try (McpToolRegistry mcp = McpToolRegistry.stdio(McpServers.filesystem(dir)).build();
        ToolExecutor executor = ToolExecutor.builder().build()) {
      ToolRegistry tools = mcp.registry();
      String present = dir.resolve("hello.txt").toString();
      String missing = dir.resolve("missing.txt").toString();
      RunResult run =
          executor.executeParallel(
              List.of(
                  tools.call("read", "read_text_file", json("path", present)),
                  tools.call("missing", "read_text_file", json("path", missing))));

      assertThat(McpToolRegistry.text((CallToolResult) run.results().get(0).value()))
          .isEqualTo("hello from a file");
      CallResult<?> failed = run.results().get(1);
      assertThat(failed.status()).isEqualTo(CallStatus.FAILED);
      assertThat(failed.error()).isInstanceOf(McpToolErrorException.class);
      McpToolErrorException error = (McpToolErrorException) failed.error();
      assertThat(error.serverText()).contains("missing.txt");
      assertThat(error.getMessage()).startsWith("MCP tool 'read_text_file' reported an error: ");
      assertThat(error.result().isError()).isTrue();
    }
  }

  static String json(String key, String value) {
    JsonNode node =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put(key, value);
    return node.toString();
  }
}
