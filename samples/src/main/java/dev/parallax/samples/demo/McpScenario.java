package dev.parallax.samples.demo;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.mcp.McpServerUnavailableException;
import dev.parallax.mcp.McpToolRegistry;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The tools of a real MCP server run by Parallax: the npm filesystem server ({@code
 * @modelcontextprotocol/server-filesystem}, version {@value #VERSION}) started with {@code npx} on
 * stdio, on a temporary directory. Uses the copy the tests install under {@code
 * ~/.cache/parallax/mcp-servers-2026.8.31} when it is there, else {@code npx -y} fetches the pinned
 * version. Without Node.js it prints one line saying why it is skipped.
 */
public final class McpScenario {

  /** The pinned version of the filesystem server. */
  public static final String VERSION = "2026.8.31";

  private static final int FILES = 8;

  private final PrintWriter out;

  /** Prints to {@code out}. */
  public McpScenario(PrintWriter out) {
    this.out = out;
  }

  /** Runs the scenario as demo number {@code number}, or prints why it is skipped. */
  public void run(int number) {
    out.printf(
        Locale.ROOT, "%n--- Demo %d: Tools of a real MCP server (filesystem, stdio) ---%n", number);
    out.flush();
    Path npx = onPath("npx");
    if (npx == null || onPath("node") == null) {
      out.println(
          "Skipped: Node.js (node and npx) is not on the PATH; install Node.js >= 18 to run the MCP"
              + " filesystem server.");
      out.flush();
      return;
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("parallax-mcp-demo");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    try {
      for (int i = 1; i <= FILES; i++) {
        Files.writeString(
            dir.resolve("note" + i + ".txt"), "note " + i + ": " + "x".repeat(i * 10));
      }
      runWith(server(npx, dir), dir);
    } catch (McpServerUnavailableException e) {
      out.println("Skipped: the MCP filesystem server did not start: " + firstLine(e.getMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(dir);
    }
    out.flush();
  }

  private void runWith(ServerParameters server, Path dir) {
    long t0 = System.nanoTime();
    try (McpToolRegistry mcp = McpToolRegistry.stdio(server).build();
        ToolExecutor executor =
            ToolExecutor.builder().attemptTimeout(Duration.ofSeconds(30)).build()) {
      ToolRegistry tools = mcp.registry();
      out.printf(
          Locale.ROOT,
          "Started in %s; %d tools listed, e.g. read_text_file (idempotent=%s, cacheable=%s from"
              + " its annotations)%n",
          SeedScenarios.ms(Duration.ofNanos(System.nanoTime() - t0)),
          tools.tools().size(),
          tools.require("read_text_file").spec().idempotent(),
          tools.require("read_text_file").spec().cacheable());

      List<ToolCall<?, ?>> calls = new ArrayList<>();
      for (int i = 1; i <= FILES; i++) {
        calls.add(
            tools.call(
                "read" + i, "read_text_file", pathArgument(dir.resolve("note" + i + ".txt"))));
      }
      calls.add(tools.call("missing", "read_text_file", pathArgument(dir.resolve("missing.txt"))));
      calls.add(tools.call("typo", "read_text_file", "{\"file\": \"note1.txt\"}"));

      // one call first, so that neither timing below includes the server's warm-up
      executor.executeParallel(List.of(calls.get(0)));
      RunResult sequential =
          executor.execute(ExecutionPlan.sequential(calls).withFailureMode(FailureMode.CONTINUE));
      RunResult parallel = executor.executeParallel(calls);
      out.printf(
          Locale.ROOT,
          "%d calls on one session: one after another %s (%d succeeded), in parallel %s (%d"
              + " succeeded)%n",
          calls.size(),
          SeedScenarios.ms(sequential.report().elapsed()),
          sequential.report().count(CallStatus.SUCCEEDED),
          SeedScenarios.ms(parallel.report().elapsed()),
          parallel.report().count(CallStatus.SUCCEEDED));
      for (CallResult<?> result : parallel.results()) {
        out.printf(
            Locale.ROOT, "  [%s] %s: %s%n", result.callId(), result.status(), describe(result));
      }
    }
  }

  private static String describe(CallResult<?> result) {
    if (result.isSuccess() && result.value() instanceof CallToolResult value) {
      String text = McpToolRegistry.text(value);
      return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
    Throwable error = result.error();
    return error == null ? "(no value)" : firstLine(String.valueOf(error.getMessage()));
  }

  private static String pathArgument(Path file) {
    return "{\"path\": \"" + file.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
  }

  private static ServerParameters server(Path npx, Path dir) {
    Path installed =
        Path.of(System.getProperty("user.home"), ".cache", "parallax", "mcp-servers-" + VERSION);
    if (Files.isExecutable(installed.resolve("node_modules/.bin/mcp-server-filesystem"))) {
      return ServerParameters.builder(npx.toString())
          .args("--no", "--prefix", installed.toString(), "mcp-server-filesystem", dir.toString())
          .build();
    }
    return ServerParameters.builder(npx.toString())
        .args("-y", "@modelcontextprotocol/server-filesystem@" + VERSION, dir.toString())
        .build();
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory: left for the system to clean
    }
  }

  private static @Nullable Path onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String d : path.split(File.pathSeparator)) {
      Path candidate = Path.of(d, command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
