package dev.parallax.springai.autoconfigure;

import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.policy.ToolPolicy;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.springai.ParallaxToolCallingManager;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import org.springframework.ai.model.tool.ToolCallLimitBehavior;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.execution.ToolExecutionExceptionProcessor;
import org.springframework.ai.tool.observation.ToolCallingObservationConvention;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Makes Spring AI run tool calls through Parallax: a {@link ToolExecutor} bean configured by the
 * {@code parallax.tools.*} properties ({@link ParallaxToolsProperties}) and a {@link
 * ParallaxToolCallingManager} as the application's {@link ToolCallingManager}. Runs before Spring
 * AI's own {@code ToolCallingAutoConfiguration}, whose manager then backs off.
 *
 * <ul>
 *   <li>Override: declare a {@link ToolExecutor} bean, or a {@link ToolCallingManager} bean (any
 *       implementation); {@link ParallaxToolExecutorCustomizer} beans adjust the executor.
 *   <li>Off: {@code parallax.tools.enabled=false} leaves Spring AI's default manager in place.
 *   <li>The executor picks up beans of {@link OpenTelemetry} (spans), {@link ExecutionRecordSink},
 *       {@link ExecutionListener}, {@link ResultCache} and {@link FallbackPolicy} when the context
 *       has them (a single one of each kind, except sinks and listeners: all of them).
 *   <li>The manager picks up Spring AI's {@link ToolCallbackResolver}, {@link
 *       ToolExecutionExceptionProcessor}, {@link ObservationRegistry} and {@link
 *       ToolCallingObservationConvention} beans, and honours {@code
 *       spring.ai.tools.resolution.fallback.enabled} and the per-turn limits {@code
 *       spring.ai.tools.limits.*} (with {@code -1} for no limit, as Spring AI).
 * </ul>
 */
@AutoConfiguration(
    beforeName = "org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration")
@ConditionalOnClass(ToolCallingManager.class)
@ConditionalOnBooleanProperty(
    name = ParallaxToolsProperties.PREFIX + ".enabled",
    matchIfMissing = true)
@EnableConfigurationProperties(ParallaxToolsProperties.class)
public class ParallaxToolCallingAutoConfiguration {

  /** Creates the auto-configuration (Spring calls this). */
  public ParallaxToolCallingAutoConfiguration() {}

  /** The executor that runs the tool calls; closed with the application context. */
  @Bean
  @ConditionalOnMissingBean
  public ToolExecutor parallaxToolExecutor(
      ParallaxToolsProperties properties,
      ObjectProvider<OpenTelemetry> openTelemetry,
      ObjectProvider<ExecutionRecordSink> recordSinks,
      ObjectProvider<ExecutionListener> listeners,
      ObjectProvider<ResultCache> resultCache,
      ObjectProvider<FallbackPolicy> fallback,
      ObjectProvider<ParallaxToolExecutorCustomizer> customizers) {
    ToolExecutor.Builder builder =
        ToolExecutor.builder().maxConcurrency(properties.getMaxConcurrency());
    if (properties.getAttemptTimeout() != null) {
      builder.attemptTimeout(properties.getAttemptTimeout());
    }
    if (properties.getRunDeadline() != null) {
      builder.runDeadline(properties.getRunDeadline());
    }
    ParallaxToolsProperties.Retry retry = properties.getRetry();
    if (retry.getMaxAttempts() > 1) {
      builder.retryPolicy(
          RetryPolicy.builder()
              .maxAttempts(retry.getMaxAttempts())
              .initialDelay(retry.getInitialDelay())
              .multiplier(retry.getMultiplier())
              .maxDelay(retry.getMaxDelay())
              .jitter(retry.getJitter())
              .build());
    }
    for (Map.Entry<String, ParallaxToolsProperties.ToolSettings> entry :
        properties.getTool().entrySet()) {
      ToolPolicy.Builder policy = ToolPolicy.builder();
      ParallaxToolsProperties.ToolSettings settings = entry.getValue();
      boolean any = false;
      if (settings.getAttemptTimeout() != null) {
        policy.attemptTimeout(settings.getAttemptTimeout());
        any = true;
      }
      if (settings.getMaxConcurrency() != null) {
        policy.maxConcurrency(settings.getMaxConcurrency());
        any = true;
      }
      if (any) {
        builder.toolPolicy(entry.getKey(), policy.build());
      }
    }
    openTelemetry.ifUnique(builder::openTelemetry);
    recordSinks.orderedStream().forEach(builder::recordSink);
    listeners.orderedStream().forEach(builder::listener);
    resultCache.ifUnique(builder::resultCache);
    fallback.ifUnique(builder::fallback);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  /** Spring AI's tool calling manager, running each message's tool calls through Parallax. */
  @Bean
  @ConditionalOnMissingBean(ToolCallingManager.class)
  public ParallaxToolCallingManager toolCallingManager(
      ToolExecutor parallaxToolExecutor,
      ParallaxToolsProperties properties,
      Environment environment,
      ObjectProvider<ToolCallbackResolver> resolver,
      ObjectProvider<ToolExecutionExceptionProcessor> exceptionProcessor,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<ToolCallingObservationConvention> observationConvention) {
    ParallaxToolCallingManager.Builder builder =
        ParallaxToolCallingManager.builder()
            .executor(parallaxToolExecutor)
            .resolutionFallbackEnabled(
                environment.getProperty(
                    "spring.ai.tools.resolution.fallback.enabled", Boolean.class, false));
    resolver.ifUnique(builder::toolCallbackResolver);
    exceptionProcessor.ifUnique(builder::toolExecutionExceptionProcessor);
    observationRegistry.ifUnique(builder::observationRegistry);
    observationConvention.ifUnique(builder::observationConvention);
    springAiLimits(Binder.get(environment), builder);
    properties
        .getTool()
        .forEach(
            (name, settings) -> {
              if (settings.isIdempotent()) {
                builder.idempotent(name);
              }
              if (settings.isCacheable()) {
                builder.cacheable(name);
              }
            });
    return builder.build();
  }

  /** Spring AI's {@code spring.ai.tools.limits.*} properties, applied as its own manager does. */
  private static void springAiLimits(Binder binder, ParallaxToolCallingManager.Builder builder) {
    String prefix = "spring.ai.tools.limits.";
    binder
        .bind(prefix + "max-calls-per-tool-default", Integer.class)
        .ifBound(builder::maxCallsPerTool);
    binder
        .bind(prefix + "max-calls-per-tool", Bindable.mapOf(String.class, Integer.class))
        .ifBound(limits -> limits.forEach(builder::maxCallsPerTool));
    binder
        .bind(prefix + "excluded-tools", Bindable.listOf(String.class))
        .ifBound(tools -> tools.forEach(tool -> builder.maxCallsPerTool(tool, -1)));
    binder.bind(prefix + "max-total-tool-calls", Integer.class).ifBound(builder::maxTotalToolCalls);
    binder
        .bind(prefix + "on-limit-exceeded", ToolCallLimitBehavior.class)
        .ifBound(builder::onLimitExceeded);
  }
}
