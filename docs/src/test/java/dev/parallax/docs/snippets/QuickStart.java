package dev.parallax.docs.snippets;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;

/** The README's quick start: tools, a parallel run of a model's tool calls, a graph. */
public class QuickStart extends Fixtures {

  /** Runs the snippet; returns the graph run. */
  public RunResult run() {
    // README:begin
    // A tool: a name, declared properties and a function. It may throw anything.
    Tool<Query, List<Hit>> search =
        Tools.named("search")
            .description("Searches the catalogue")
            .idempotent(true) // safe to retry
            .input(Query.class) // JSON arguments from a model are converted to this
            .function((query, ctx) -> catalogue.search(query));

    try (ToolExecutor executor =
        ToolExecutor.builder()
            .maxConcurrency(8)
            .attemptTimeout(Duration.ofSeconds(10))
            .retryPolicy(RetryPolicy.ofDefaults()) // 3 attempts, exponential back-off with jitter
            .openTelemetry(openTelemetry) // optional: spans "execute_tool {tool}"
            .build()) {

      // Tool calls as an LLM emits them: an id, a tool name and JSON arguments.
      ToolRegistry tools = ToolRegistry.of(search, weather);
      RunResult run =
          executor.executeParallel(
              List.of(
                  tools.call("call_1", "search", "{\"text\": \"virtual threads\"}"),
                  tools.call("call_2", "weather", "{\"city\": \"Lisbon\"}")));

      for (CallResult<?> r : run.results()) { // always in call order
        System.out.println(r.callId() + " " + r.status() + " " + r.value());
      }
      // Arguments that do not fit a tool (an unknown or missing property, a wrong type, text after
      // the JSON) throw nothing: that call alone ends FAILED with an InvalidArgumentsException, no
      // tool runs, and its reason() ("unknown property 'town'; ...") can go back to the model.
      System.out.println(run.report()); // counts by status, elapsed time

      // Dependencies: "summary" starts when both fetches succeeded and reads their results.
      CallGraph graph =
          CallGraph.builder()
              .add(ToolCall.of("a", fetch, urlA))
              .add(ToolCall.of("b", fetch, urlB))
              .add(
                  ToolCall.derived(
                      "summary",
                      summarize,
                      deps -> deps.get("a").value() + "\n" + deps.get("b").value()),
                  "a",
                  "b")
              .build();
      RunResult graphRun = executor.executeGraph(graph);
      // README:end
      return graphRun;
    }
  }
}
