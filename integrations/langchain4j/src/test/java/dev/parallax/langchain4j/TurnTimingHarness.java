package dev.parallax.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.service.AiServices;
import dev.parallax.core.exec.ToolExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Timing harness, run by hand (not a test): the tool time of one model turn through LangChain4j's
 * own execution (sequential, and {@code executeToolsConcurrently()}) and through Parallax, with the
 * real {@code AiServices} and a scripted model that answers at once.
 *
 * <ol>
 *   <li>5 tools of 200 ms in one turn: wall time of {@code assistant.chat(...)}, interleaved
 *       repeats, median and min–max.
 *   <li>Overhead per call: 10 no-op calls per turn, many turns; time per call of each mode and the
 *       difference to LangChain4j's sequential execution.
 * </ol>
 *
 * <pre>
 * java -cp ... dev.parallax.langchain4j.TurnTimingHarness [repeats] [overheadTurns]
 * </pre>
 */
public final class TurnTimingHarness {

  interface Assistant {
    String chat(String message);
  }

  interface StreamingAssistant {
    dev.langchain4j.service.TokenStream chat(String message);
  }

  private record StreamingMode(
      String name,
      Function<AiServices<StreamingAssistant>, AiServices<StreamingAssistant>> setup) {}

  /** One streamed turn: the model streams its calls 50 ms apart, then the final answer. */
  private static double streamedTurnMs(StreamingAssistant assistant) {
    java.util.concurrent.CompletableFuture<String> answer =
        new java.util.concurrent.CompletableFuture<>();
    long start = System.nanoTime();
    assistant
        .chat("go")
        .onPartialResponse(text -> {})
        .onCompleteResponse(r -> answer.complete(r.aiMessage().text()))
        .onError(answer::completeExceptionally)
        .start();
    answer.join();
    return (System.nanoTime() - start) / 1e6;
  }

  private static void streaming(int repeats, ParallaxLangChain4j parallax) {
    List<StreamingMode> modes =
        List.of(
            new StreamingMode(
                "langchain4j streaming, sequential (default)", b -> b.tools(new SlowTools())),
            new StreamingMode(
                "langchain4j streaming, executeToolsConcurrently()",
                b -> b.tools(new SlowTools()).executeToolsConcurrently()),
            new StreamingMode("parallax streaming (install)", parallax::install));
    List<StreamingAssistant> assistants = new ArrayList<>();
    for (StreamingMode mode : modes) {
      ScriptedStreamingChatModel model =
          new ScriptedStreamingChatModel(
              calls("slow", 5),
              i -> {
                try {
                  Thread.sleep(50); // the next call is still being streamed
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      assistants.add(
          mode.setup()
              .apply(AiServices.builder(StreamingAssistant.class).streamingChatModel(model))
              .build());
    }
    System.out.println(
        "== streaming: 5 tools of 200 ms, calls streamed 50 ms apart: ms per turn, "
            + repeats
            + " repeats");
    double[][] ms = new double[modes.size()][repeats];
    for (int r = 0; r < repeats; r++) {
      for (int m = 0; m < modes.size(); m++) {
        ms[m][r] = streamedTurnMs(assistants.get(m));
      }
    }
    for (int m = 0; m < modes.size(); m++) {
      System.out.printf("%-50s %s%n", modes.get(m).name(), stats(ms[m], "%.0f"));
    }
  }

  public static final class SlowTools {
    @Tool("Waits 200 ms, like a remote service")
    public String slow(@P("input") String input) throws InterruptedException {
      Thread.sleep(200);
      return input;
    }
  }

  public static final class NoopTools {
    @Tool("Returns its input")
    public String noop(@P("input") String input) {
      return input;
    }
  }

  private static List<ToolExecutionRequest> calls(String tool, int n) {
    List<ToolExecutionRequest> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(ScriptedChatModel.call("c" + i, tool, "{\"arg0\":\"in" + i + "\"}"));
    }
    return calls;
  }

  private record Mode(String name, Function<AiServices<Assistant>, AiServices<Assistant>> setup) {}

  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int overheadTurns = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      ParallaxLangChain4j slowParallax =
          ParallaxLangChain4j.builder(executor).tools(new SlowTools()).build();
      ParallaxLangChain4j noopParallax =
          ParallaxLangChain4j.builder(executor).tools(new NoopTools()).build();

      List<Mode> slow =
          List.of(
              new Mode("langchain4j sequential (default)", b -> b.tools(new SlowTools())),
              new Mode(
                  "langchain4j executeToolsConcurrently()",
                  b -> b.tools(new SlowTools()).executeToolsConcurrently()),
              new Mode("parallax (install)", slowParallax::install));
      List<Mode> noop =
          List.of(
              new Mode("langchain4j sequential (default)", b -> b.tools(new NoopTools())),
              new Mode(
                  "langchain4j executeToolsConcurrently()",
                  b -> b.tools(new NoopTools()).executeToolsConcurrently()),
              new Mode("parallax (install)", noopParallax::install));

      System.out.println("== 5 tools of 200 ms in one turn: ms per turn, " + repeats + " repeats");
      List<Assistant> slowAssistants = build(slow, calls("slow", 5));
      double[][] slowMs = new double[slow.size()][repeats];
      for (int r = 0; r < repeats; r++) {
        for (int m = 0; m < slow.size(); m++) { // interleaved
          long start = System.nanoTime();
          slowAssistants.get(m).chat("go");
          slowMs[m][r] = (System.nanoTime() - start) / 1e6;
        }
      }
      for (int m = 0; m < slow.size(); m++) {
        System.out.printf("%-42s %s%n", slow.get(m).name(), stats(slowMs[m], "%.0f"));
      }

      streaming(repeats, slowParallax);

      int perTurn = 10;
      System.out.println(
          "== overhead: "
              + perTurn
              + " no-op calls per turn, "
              + overheadTurns
              + " turns per sample, "
              + repeats
              + " samples: microseconds per call (incl. the AI service's own work per turn / 10)");
      List<Assistant> noopAssistants = build(noop, calls("noop", perTurn));
      for (Assistant a : noopAssistants) { // warm-up
        for (int i = 0; i < overheadTurns; i++) {
          a.chat("go");
        }
      }
      double[][] perCallUs = new double[noop.size()][repeats];
      for (int r = 0; r < repeats; r++) {
        for (int m = 0; m < noop.size(); m++) {
          Assistant a = noopAssistants.get(m);
          long start = System.nanoTime();
          for (int i = 0; i < overheadTurns; i++) {
            a.chat("go");
          }
          perCallUs[m][r] = (System.nanoTime() - start) / 1e3 / overheadTurns / perTurn;
        }
      }
      for (int m = 0; m < noop.size(); m++) {
        double[] added = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          added[r] = perCallUs[m][r] - perCallUs[0][r];
        }
        System.out.printf(
            "%-42s %s   vs sequential: %s%n",
            noop.get(m).name(), stats(perCallUs[m], "%.1f"), stats(added, "%+.1f"));
      }
    }
  }

  private static List<Assistant> build(List<Mode> modes, List<ToolExecutionRequest> calls) {
    List<Assistant> assistants = new ArrayList<>();
    for (Mode mode : modes) {
      assistants.add(
          mode.setup()
              .apply(AiServices.builder(Assistant.class).chatModel(new ScriptedChatModel(calls)))
              .build());
    }
    return assistants;
  }

  private static String stats(double[] values, String format) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    return "median "
        + String.format(format, median)
        + " (min "
        + String.format(format, sorted[0])
        + ", max "
        + String.format(format, sorted[sorted.length - 1])
        + ")";
  }

  private TurnTimingHarness() {}
}
