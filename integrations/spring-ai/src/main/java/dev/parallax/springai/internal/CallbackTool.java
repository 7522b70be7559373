package dev.parallax.springai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.core.tool.ArgumentFeatures;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.observation.DefaultToolCallingObservationConvention;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;
import org.springframework.ai.tool.observation.ToolCallingObservationConvention;
import org.springframework.ai.tool.observation.ToolCallingObservationDocumentation;

/**
 * One tool call of an assistant message as a Parallax tool: its input is the call's JSON arguments,
 * its output the text the {@link ToolCallback} returns. Each attempt runs inside Spring AI's tool
 * observation when an {@link ObservationRegistry} is given, exactly as {@code
 * DefaultToolCallingManager} observes a call (with the observation that was current on the thread
 * that asked for the tool calls as parent). What the callback throws is thrown on, so Parallax sees
 * the attempt fail (and may retry it or swap the tool). May change at any time.
 */
public final class CallbackTool implements Tool<String, String> {

  private static final ToolCallingObservationConvention DEFAULT_CONVENTION =
      new DefaultToolCallingObservationConvention();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ToolSpec spec;
  private final ToolCallback callback;
  private final org.springframework.ai.chat.model.ToolContext springContext;
  private final String modelCallId;
  private final String toolType;
  private final ObservationRegistry observations;
  private final @Nullable ToolCallingObservationConvention convention;
  private final @Nullable Observation parent;

  /**
   * @param spec the Parallax spec (name, description, schema, idempotence, cacheability)
   * @param callback the Spring AI tool
   * @param springContext the tool context of the request
   * @param modelCallId the id the model gave the call
   * @param toolType the type the model gave the call (usually {@code function})
   * @param observations where Spring AI's tool observations go ({@code NOOP}: none)
   * @param convention a custom observation convention, or {@code null} for Spring AI's default
   * @param parent the observation current when the tool calls were requested, or {@code null}
   */
  public CallbackTool(
      ToolSpec spec,
      ToolCallback callback,
      org.springframework.ai.chat.model.ToolContext springContext,
      String modelCallId,
      String toolType,
      ObservationRegistry observations,
      @Nullable ToolCallingObservationConvention convention,
      @Nullable Observation parent) {
    this.spec = spec;
    this.callback = callback;
    this.springContext = springContext;
    this.modelCallId = modelCallId;
    this.toolType = toolType;
    this.observations = observations;
    this.convention = convention;
    this.parent = parent;
  }

  /** The Spring AI tool this call runs. */
  public ToolCallback callback() {
    return callback;
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public @Nullable String call(String arguments, ToolContext context) {
    if (observations.isNoop()) {
      return callback.call(arguments, springContext);
    }
    ToolCallingObservationContext observationContext =
        ToolCallingObservationContext.builder()
            .toolDefinition(callback.getToolDefinition())
            .toolMetadata(callback.getToolMetadata())
            .toolCallId(modelCallId)
            .toolType(toolType)
            .toolCallArguments(arguments)
            .build();
    return ToolCallingObservationDocumentation.TOOL_CALL
        .observation(convention, DEFAULT_CONVENTION, () -> observationContext, observations)
        .parentObservation(parent)
        .observe(
            () -> {
              String result = callback.call(arguments, springContext);
              observationContext.setToolCallResult(result);
              return result;
            });
  }

  /**
   * The features of the JSON arguments (their size and number of top-level arguments); computed
   * only when spans or records are on.
   */
  @Override
  public Map<String, Double> features(String arguments) {
    try {
      return ArgumentFeatures.of(JSON.readTree(arguments));
    } catch (JsonProcessingException | RuntimeException e) {
      return ArgumentFeatures.of(arguments);
    }
  }
}
