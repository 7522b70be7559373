package dev.parallax.springai.autoconfigure;

import static dev.parallax.springai.testing.ScriptedChatModel.call;
import static dev.parallax.springai.testing.TestTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.springai.ParallaxToolCallingManager;
import dev.parallax.springai.testing.Latches;
import dev.parallax.springai.testing.ScriptedChatModel;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configuration in a real Spring application context, next to Spring AI's own tool calling
 * and chat client auto-configurations (in the order their annotations give).
 */
@Timeout(60)
class ParallaxToolCallingAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ChatClientAutoConfiguration.class,
                  ToolCallingAutoConfiguration.class,
                  ParallaxToolCallingAutoConfiguration.class));

  @Test
  void addingTheDependency_isEnough_theAutoConfigurationIsListedForSpringBoot() {
    List<String> candidates =
        ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates();
    assertThat(candidates).contains(ParallaxToolCallingAutoConfiguration.class.getName());
  }

  @Test
  void byDefault_theToolCallingManagerIsParallaxs_andSpringAisBacksOff() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(ToolCallingManager.class);
          assertThat(context.getBean(ToolCallingManager.class))
              .isInstanceOf(ParallaxToolCallingManager.class);
          assertThat(context).hasSingleBean(ToolExecutor.class);
          ParallaxToolCallingManager manager = context.getBean(ParallaxToolCallingManager.class);
          assertThat(manager.executor()).isSameAs(context.getBean(ToolExecutor.class));
        });
  }

  @Test
  void aToolCallingManagerOfTheUser_winsOverParallaxs() {
    runner
        .withBean(
            "myManager",
            ToolCallingManager.class,
            () -> DefaultToolCallingManager.builder().build())
        .run(
            context -> {
              assertThat(context).hasSingleBean(ToolCallingManager.class);
              assertThat(context.getBean(ToolCallingManager.class))
                  .isInstanceOf(DefaultToolCallingManager.class);
            });
  }

  @Test
  void aToolExecutorOfTheUser_isTheOneTheManagerUses() {
    runner
        .withBean("myExecutor", ToolExecutor.class, () -> ToolExecutor.builder().build())
        .run(
            context -> {
              assertThat(context).hasSingleBean(ToolExecutor.class);
              assertThat(context.getBean(ParallaxToolCallingManager.class).executor())
                  .isSameAs(context.getBean("myExecutor"));
            });
  }

  @Test
  void disabled_leavesSpringAisDefaultManager() {
    runner
        .withPropertyValues("parallax.tools.enabled=false")
        .run(
            context -> {
              assertThat(context.getBean(ToolCallingManager.class))
                  .isInstanceOf(DefaultToolCallingManager.class);
              assertThat(context).doesNotHaveBean(ToolExecutor.class);
            });
  }

  @Test
  void properties_areBound() {
    runner
        .withPropertyValues(
            "parallax.tools.max-concurrency=3",
            "parallax.tools.attempt-timeout=20s",
            "parallax.tools.run-deadline=1m",
            "parallax.tools.retry.max-attempts=4",
            "parallax.tools.retry.initial-delay=50ms",
            "parallax.tools.retry.jitter=0",
            "parallax.tools.tool.weather.idempotent=true",
            "parallax.tools.tool.weather.cacheable=true",
            "parallax.tools.tool.weather.attempt-timeout=5s",
            "parallax.tools.tool.weather.max-concurrency=2")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ParallaxToolsProperties properties = context.getBean(ParallaxToolsProperties.class);
              assertThat(properties.getMaxConcurrency()).isEqualTo(3);
              assertThat(properties.getAttemptTimeout()).isEqualTo(Duration.ofSeconds(20));
              assertThat(properties.getRunDeadline()).isEqualTo(Duration.ofMinutes(1));
              assertThat(properties.getRetry().getMaxAttempts()).isEqualTo(4);
              assertThat(properties.getRetry().getInitialDelay()).isEqualTo(Duration.ofMillis(50));
              assertThat(properties.getRetry().getJitter()).isZero();
              ParallaxToolsProperties.ToolSettings weather = properties.getTool().get("weather");
              assertThat(weather.isIdempotent()).isTrue();
              assertThat(weather.isCacheable()).isTrue();
              assertThat(weather.getAttemptTimeout()).isEqualTo(Duration.ofSeconds(5));
              assertThat(weather.getMaxConcurrency()).isEqualTo(2);
            });
  }

  @Test
  void maxConcurrencyProperty_limitsTheCallsOfOneMessage_andIdempotentToolsAreRetried() {
    // with a limit of 1, a second call can only start after the first ended
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    AtomicInteger flakyAttempts = new AtomicInteger();
    List<ToolCallback> tools =
        List.of(
            tool(
                "count",
                args -> {
                  mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  inFlight.decrementAndGet();
                  return "counted";
                }),
            tool(
                "flaky",
                args -> {
                  if (flakyAttempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("transient");
                  }
                  return "recovered";
                }));
    ScriptedChatModel model =
        new ScriptedChatModel(
            List.of(
                call("a", "count"), call("b", "count"), call("c", "count"), call("d", "flaky")));
    runner
        .withBean(ScriptedChatModel.class, () -> model)
        .withPropertyValues(
            "parallax.tools.max-concurrency=1",
            "parallax.tools.retry.max-attempts=2",
            "parallax.tools.retry.initial-delay=0ms",
            "parallax.tools.tool.flaky.idempotent=true")
        .run(
            context -> {
              String answer =
                  context
                      .getBean(ChatClient.Builder.class)
                      .build()
                      .prompt("go")
                      .tools(tools.toArray())
                      .call()
                      .content();
              assertThat(answer)
                  .isEqualTo(
                      "count(a)=counted; count(b)=counted; count(c)=counted; flaky(d)=recovered");
              assertThat(mostInFlight).hasValue(1);
              assertThat(flakyAttempts).hasValue(2);
            });
  }

  @Test
  void theBootChatClient_runsTheToolsOfOneMessageAtOnce_throughParallax() {
    int n = 4;
    CountDownLatch allStarted = new CountDownLatch(n);
    List<ToolCallback> tools =
        IntStream.range(0, n)
            .mapToObj(
                i ->
                    tool(
                        "tool" + i,
                        args -> {
                          allStarted.countDown();
                          Latches.await(allStarted, "all tools to start");
                          return "r" + i;
                        }))
            .toList();
    ScriptedChatModel model =
        new ScriptedChatModel(
            IntStream.range(0, n).mapToObj(i -> call("id" + i, "tool" + i)).toList());
    runner
        .withBean(ScriptedChatModel.class, () -> model)
        .withUserConfiguration(RecordingConfiguration.class)
        .run(
            context -> {
              String answer =
                  context
                      .getBean(ChatClient.Builder.class)
                      .build()
                      .prompt("go")
                      .tools(tools.toArray())
                      .call()
                      .content();
              assertThat(answer)
                  .isEqualTo("tool0(id0)=r0; tool1(id1)=r1; tool2(id2)=r2; tool3(id3)=r3");
              assertThat(context.getBean(RecordingConfiguration.class).records)
                  .extracting(ExecutionRecord::callId, ExecutionRecord::status)
                  .containsExactlyInAnyOrder(
                      org.assertj.core.groups.Tuple.tuple("id0", CallStatus.SUCCEEDED),
                      org.assertj.core.groups.Tuple.tuple("id1", CallStatus.SUCCEEDED),
                      org.assertj.core.groups.Tuple.tuple("id2", CallStatus.SUCCEEDED),
                      org.assertj.core.groups.Tuple.tuple("id3", CallStatus.SUCCEEDED));
            });
  }

  @Test
  void springAisToolCallLimitProperties_applyToParallaxsManager() {
    ScriptedChatModel model =
        new ScriptedChatModel(List.of(call("a", "search"), call("b", "search")));
    List<ToolCallback> tools = List.of(tool("search", args -> "hit"));
    runner
        .withBean(ScriptedChatModel.class, () -> model)
        .withPropertyValues(
            "spring.ai.tools.limits.max-calls-per-tool.search=1",
            "spring.ai.tools.limits.on-limit-exceeded=return-error-response")
        .run(
            context -> {
              String answer =
                  context
                      .getBean(ChatClient.Builder.class)
                      .build()
                      .prompt("go")
                      .tools(tools.toArray())
                      .call()
                      .content();
              assertThat(answer)
                  .isEqualTo(
                      "search(a)=hit; search(b)=Tool call limit (1) exceeded for tool 'search'."
                          + " No further calls to this tool are allowed in this turn.");
            });
  }

  @Test
  void aBadProperty_stopsTheApplication_withAMessageNamingIt() {
    runner
        .withPropertyValues("parallax.tools.max-concurrency=0")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(causes(context.getStartupFailure()))
                  .contains("parallax.tools.max-concurrency must be >= 1, was 0");
            });
    runner
        .withPropertyValues("parallax.tools.attempt-timeout=-5s")
        .run(
            context ->
                assertThat(causes(context.getStartupFailure()))
                    .contains("parallax.tools.attempt-timeout must be positive, was PT-5S"));
    runner
        .withPropertyValues("parallax.tools.retry.jitter=2")
        .run(
            context ->
                assertThat(causes(context.getStartupFailure()))
                    .contains("parallax.tools.retry.jitter must be in [0, 1], was 2.0"));
  }

  @Test
  void propertyMetadata_isGenerated_forIdeCompletion() throws Exception {
    try (InputStream in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(metadata)
          .contains(
              "\"parallax.tools.max-concurrency\"",
              "\"parallax.tools.attempt-timeout\"",
              "\"parallax.tools.run-deadline\"",
              "\"parallax.tools.retry.max-attempts\"",
              "\"parallax.tools.tool\"");
    }
  }

  private static String causes(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  @Configuration(proxyBeanMethods = false)
  static class RecordingConfiguration {
    final List<ExecutionRecord> records = new CopyOnWriteArrayList<>();

    @Bean
    ExecutionRecordSink recordingSink() {
      return records::add;
    }
  }
}
