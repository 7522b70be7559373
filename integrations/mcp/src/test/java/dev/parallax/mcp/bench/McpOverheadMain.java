package dev.parallax.mcp.bench;

import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.mcp.McpToolRegistry;
import dev.parallax.mcp.testing.McpServers;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * Run by hand (not a test): the time per call of server-everything's {@code echo} through the SDK's
 * {@code callTool} directly vs through Parallax ({@code McpToolRegistry} over the same client, and
 * over a registry-owned session with protocol cancellation), one call at a time and 20 at once, in
 * interleaved repeats. Prints the median and min–max of the repeats' mean time per call.
 *
 * <p>Arguments: {@code [repeats] [callsPerRepeat]} (default 7 and 400).
 */
public final class McpOverheadMain {

  private McpOverheadMain() {}

  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    McpAsyncClient client =
        McpClient.async(
                new StdioClientTransport(McpServers.everything(), McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(60))
            .build();
    client.initialize().block(Duration.ofSeconds(120));
    List<ProcessHandle> leftovers = McpServers.processesMentioning("mcp-server-everything");
    try (McpToolRegistry borrowed = McpToolRegistry.client(client).build();
        McpToolRegistry owned =
            McpToolRegistry.transport(
                    new StdioClientTransport(McpServers.everything(), McpJsonDefaults.getMapper()))
                .build();
        ToolExecutor executor = ToolExecutor.builder().maxConcurrency(64).build()) {
      String[] names = {
        "sdk callTool, 1 at a time",
        "parallax (borrowed client), 1 at a time",
        "parallax (owned, cancellation on), 1 at a time",
        "sdk callTool, 20 at once",
        "parallax (borrowed client), 20 at once",
        "parallax (owned, cancellation on), 20 at once"
      };
      double[][] perCallMicros = new double[names.length][repeats];
      // warm-up
      for (int w = 0; w < 2; w++) {
        measureAll(client, borrowed.registry(), owned.registry(), executor, calls, new double[6]);
      }
      for (int r = 0; r < repeats; r++) {
        double[] one = new double[names.length];
        measureAll(client, borrowed.registry(), owned.registry(), executor, calls, one);
        for (int m = 0; m < names.length; m++) {
          perCallMicros[m][r] = one[m];
        }
      }
      System.out.printf(
          Locale.ROOT,
          "echo on @modelcontextprotocol/server-everything@%s (stdio), %d repeats x %d calls;"
              + " mean time per call, median [min-max] of repeats%n",
          McpServers.VERSION,
          repeats,
          calls);
      double sdkOne = median(perCallMicros[0]);
      double sdkBatch = median(perCallMicros[3]);
      for (int m = 0; m < names.length; m++) {
        double[] v = perCallMicros[m].clone();
        Arrays.sort(v);
        double med = median(perCallMicros[m]);
        double base = m < 3 ? sdkOne : sdkBatch;
        System.out.printf(
            Locale.ROOT,
            "%-48s %8.1f us [%7.1f-%7.1f]  %+7.1f us/call vs sdk (x%.2f)%n",
            names[m],
            med,
            v[0],
            v[v.length - 1],
            med - base,
            med / base);
      }
    } finally {
      client.closeGracefully().block(Duration.ofSeconds(10));
      for (ProcessHandle p : leftovers) {
        p.destroyForcibly();
      }
    }
  }

  private static void measureAll(
      McpAsyncClient client,
      ToolRegistry borrowed,
      ToolRegistry owned,
      ToolExecutor executor,
      int calls,
      double[] out) {
    out[0] = sdkOneAtATime(client, calls);
    out[1] = parallaxOneAtATime(borrowed, executor, calls);
    out[2] = parallaxOneAtATime(owned, executor, calls);
    out[3] = sdkBatches(client, calls);
    out[4] = parallaxBatches(borrowed, executor, calls);
    out[5] = parallaxBatches(owned, executor, calls);
  }

  private static McpSchema.CallToolRequest echo(int i) {
    return McpSchema.CallToolRequest.builder("echo").arguments(Map.of("message", "m" + i)).build();
  }

  private static double sdkOneAtATime(McpAsyncClient client, int calls) {
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      client.callTool(echo(i)).block();
    }
    return (System.nanoTime() - t0) / 1e3 / calls;
  }

  private static double parallaxOneAtATime(ToolRegistry tools, ToolExecutor executor, int calls) {
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      RunResult run =
          executor.executeParallel(
              List.of(tools.call("c" + i, "echo", "{\"message\": \"m" + i + "\"}")));
      if (!run.results().get(0).isSuccess()) {
        throw new IllegalStateException(String.valueOf(run.results().get(0).error()));
      }
    }
    return (System.nanoTime() - t0) / 1e3 / calls;
  }

  private static double sdkBatches(McpAsyncClient client, int calls) {
    long t0 = System.nanoTime();
    for (int done = 0; done < calls; done += 20) {
      List<reactor.core.publisher.Mono<McpSchema.CallToolResult>> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        batch.add(client.callTool(echo(done + i)));
      }
      Flux.merge(batch).collectList().block();
    }
    return (System.nanoTime() - t0) / 1e3 / calls;
  }

  private static double parallaxBatches(ToolRegistry tools, ToolExecutor executor, int calls) {
    long t0 = System.nanoTime();
    for (int done = 0; done < calls; done += 20) {
      List<ToolCall<?, ?>> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        batch.add(tools.call("c" + i, "echo", "{\"message\": \"m" + (done + i) + "\"}"));
      }
      RunResult run = executor.executeParallel(batch);
      if (run.results().stream().anyMatch(r -> !r.isSuccess())) {
        throw new IllegalStateException("a call failed: " + run.report());
      }
    }
    return (System.nanoTime() - t0) / 1e3 / calls;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
