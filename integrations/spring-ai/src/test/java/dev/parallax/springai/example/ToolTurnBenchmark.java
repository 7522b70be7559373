package dev.parallax.springai.example;

import static dev.parallax.springai.testing.ScriptedChatModel.call;
import static dev.parallax.springai.testing.TestTools.tool;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.springai.ParallaxToolCallingManager;
import dev.parallax.springai.testing.ScriptedChatModel;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.ToolCallback;

/**
 * Measured by hand, never asserted in CI (timings belong in benchmarks):
 *
 * <ol>
 *   <li>one model turn with 5 tool calls of 200 ms each through the real {@link ChatClient}: Spring
 *       AI's {@code DefaultToolCallingManager} (one call after another) against {@link
 *       ParallaxToolCallingManager};
 *   <li>the cost per call with no-op tools, calling {@code executeToolCalls} directly: Spring AI's
 *       default manager, the Parallax manager, and Parallax's core executor alone on the same
 *       number of no-op calls (so the adapter's own share is the difference of the last two).
 * </ol>
 *
 * <p>Repeats are interleaved (A, B, A, B...) and reported as median and min–max.
 *
 * <pre>
 * ./mvnw -q -o -pl integrations/spring-ai exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.parallax.springai.example.ToolTurnBenchmark
 * </pre>
 */
public final class ToolTurnBenchmark {

  private ToolTurnBenchmark() {}

  /** Runs both measurements and prints the figures. */
  public static void main(String[] args) {
    turnWithFiveSlowTools(Integer.getInteger("repeats", 7));
    for (int calls : new int[] {1, 5, 20}) {
      overheadPerCall(calls, Integer.getInteger("rounds", 7));
    }
  }

  private static void turnWithFiveSlowTools(int repeats) {
    List<ToolCallback> tools =
        IntStream.range(0, 5)
            .mapToObj(
                i ->
                    tool(
                        "slow" + i,
                        args -> {
                          try {
                            Thread.sleep(200); // the tool's own latency
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return "done " + i;
                        }))
            .toList();
    ScriptedChatModel model =
        new ScriptedChatModel(
            IntStream.range(0, 5).mapToObj(i -> call("c" + i, "slow" + i)).toList());
    try (ParallaxToolCallingManager parallax = ParallaxToolCallingManager.builder().build()) {
      ChatClient springClient = client(model, DefaultToolCallingManager.builder().build());
      ChatClient parallaxClient = client(model, parallax);
      LongSupplier spring = () -> timeNanos(() -> turn(springClient, tools));
      LongSupplier ours = () -> timeNanos(() -> turn(parallaxClient, tools));
      for (int i = 0; i < 2; i++) { // warm-up
        spring.getAsLong();
        ours.getAsLong();
      }
      long[] springTimes = new long[repeats];
      long[] parallaxTimes = new long[repeats];
      for (int i = 0; i < repeats; i++) {
        springTimes[i] = spring.getAsLong();
        parallaxTimes[i] = ours.getAsLong();
      }
      System.out.println(
          "== one turn, 5 tool calls of 200 ms, real ChatClient, "
              + repeats
              + " interleaved repeats");
      System.out.println("Spring AI DefaultToolCallingManager: " + millis(springTimes));
      System.out.println("ParallaxToolCallingManager:          " + millis(parallaxTimes));
      System.out.printf(
          "speed-up (median / median): %.2fx%n",
          (double) median(springTimes) / median(parallaxTimes));
    }
  }

  private static void overheadPerCall(int callsPerMessage, int rounds) {
    List<ToolCallback> tools =
        IntStream.range(0, callsPerMessage).mapToObj(i -> tool("noop" + i, args -> "")).toList();
    Prompt prompt =
        Prompt.builder()
            .messages(List.of(new UserMessage("go")))
            .chatOptions(ToolCallingChatOptions.builder().toolCallbacks(tools).build())
            .build();
    List<AssistantMessage.ToolCall> requested =
        IntStream.range(0, callsPerMessage).mapToObj(i -> call("c" + i, "noop" + i)).toList();
    ChatResponse response =
        new ChatResponse(
            List.of(
                new Generation(
                    AssistantMessage.builder().content("").toolCalls(requested).build())));
    List<Tool<String, String>> coreTools =
        IntStream.range(0, callsPerMessage)
            .mapToObj(
                i -> Tools.named("noop" + i).input(String.class).<String>function((in, c) -> ""))
            .toList();
    int iterations = Math.max(2_000, 40_000 / callsPerMessage);
    try (ToolExecutor executor = ToolExecutor.builder().build()) {
      ToolCallingManager spring = DefaultToolCallingManager.builder().build();
      ParallaxToolCallingManager parallax =
          ParallaxToolCallingManager.builder().executor(executor).build();
      Runnable springTurn = () -> spring.executeToolCalls(prompt, response);
      Runnable parallaxTurn = () -> parallax.executeToolCalls(prompt, response);
      Runnable coreRun =
          () -> {
            List<ToolCall<?, ?>> calls = new ArrayList<>(callsPerMessage);
            for (int i = 0; i < callsPerMessage; i++) {
              calls.add(ToolCall.of("c" + i, coreTools.get(i), "{}"));
            }
            executor.executeParallel(calls);
          };
      long[][] perCall = new long[3][rounds];
      Runnable[] subjects = {springTurn, parallaxTurn, coreRun};
      for (Runnable subject : subjects) { // warm-up
        loop(subject, iterations);
      }
      for (int r = 0; r < rounds; r++) {
        for (int s = 0; s < subjects.length; s++) {
          perCall[s][r] = loop(subjects[s], iterations) / ((long) iterations * callsPerMessage);
        }
      }
      System.out.println(
          "== no-op tools, "
              + callsPerMessage
              + " call(s) per message, "
              + iterations
              + " messages x "
              + rounds
              + " interleaved rounds; time per call");
      System.out.println("Spring AI DefaultToolCallingManager: " + micros(perCall[0]));
      System.out.println("ParallaxToolCallingManager:          " + micros(perCall[1]));
      System.out.println("Parallax core executor alone:        " + micros(perCall[2]));
      System.out.printf(
          "adapter share (manager - core, medians): %.2f us per call%n",
          (median(perCall[1]) - median(perCall[2])) / 1000.0);
    }
  }

  private static ChatClient client(ScriptedChatModel model, ToolCallingManager manager) {
    return ChatClient.builder(
            model,
            ObservationRegistry.NOOP,
            null,
            null,
            ToolCallingAdvisor.builder().toolCallingManager(manager))
        .build();
  }

  private static void turn(ChatClient client, List<ToolCallback> tools) {
    client.prompt("go").tools(tools.toArray()).call().content();
  }

  private static long loop(Runnable subject, int iterations) {
    return timeNanos(
        () -> {
          for (int i = 0; i < iterations; i++) {
            subject.run();
          }
        });
  }

  private static long timeNanos(Runnable body) {
    long start = System.nanoTime();
    body.run();
    return System.nanoTime() - start;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String millis(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        "median %.1f ms (min %.1f, max %.1f)",
        median(nanos) / 1e6, sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6);
  }

  private static String micros(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        "median %.2f us (min %.2f, max %.2f)",
        median(nanos) / 1e3, sorted[0] / 1e3, sorted[sorted.length - 1] / 1e3);
  }
}
