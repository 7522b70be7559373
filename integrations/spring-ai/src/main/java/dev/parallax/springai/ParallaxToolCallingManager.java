package dev.parallax.springai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.core.trace.SessionBaggage;
import dev.parallax.springai.internal.CallbackTool;
import dev.parallax.springai.internal.FailureMessages;
import dev.parallax.springai.internal.JsonCallbackTool;
import dev.parallax.springai.internal.ToolCallBudget;
import dev.parallax.springai.internal.ToolNames;
import dev.parallax.springai.internal.UnknownTool;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallLimitBehavior;
import org.springframework.ai.model.tool.ToolCallLimitExceededException;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.model.tool.internal.ToolCallReactiveContextHolder;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.DefaultToolExecutionExceptionProcessor;
import org.springframework.ai.tool.execution.ToolExecutionExceptionProcessor;
import org.springframework.ai.tool.observation.ToolCallingObservationConvention;
import org.springframework.ai.tool.resolution.DelegatingToolCallbackResolver;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;

/**
 * A Spring AI {@link ToolCallingManager} that runs the tool calls of one assistant message as one
 * Parallax run: in parallel, under the {@link ToolExecutor}'s concurrency limits, retry policy,
 * attempt timeout and run deadline, with its spans, execution records, result cache and fallbacks.
 * Spring AI's {@code DefaultToolCallingManager} runs them one after another.
 *
 * <pre>{@code
 * ToolCallingManager manager = ParallaxToolCallingManager.builder()
 *     .executor(ToolExecutor.builder().maxConcurrency(8).attemptTimeout(Duration.ofSeconds(20)).build())
 *     .idempotent("weather")
 *     .build();
 * }</pre>
 *
 * <p>What it does, call by call, compared with the default manager:
 *
 * <ul>
 *   <li>The tool responses come back in the order of the calls, whatever order they finish in.
 *   <li>A call that fails, times out or names a tool the request does not offer becomes a tool
 *       response whose text says so, and the other calls' results are kept (the default manager
 *       throws for an unknown tool, which discards the batch). An exception thrown by a tool goes
 *       to the {@link ToolExecutionExceptionProcessor} as with the default manager, after the
 *       Parallax run ends (so retries and fallbacks have been tried); if the processor throws, that
 *       exception leaves {@link #executeToolCalls} once every call of the message has ended.
 *   <li>{@code returnDirect} is true only if every called tool is {@code returnDirect}, and {@link
 *       #resolveToolDefinitions} returns the definitions of the request's tool callbacks, as with
 *       the default manager. Tools are found among the request's callbacks, then, only if {@link
 *       Builder#resolutionFallbackEnabled} is set, through the {@link ToolCallbackResolver}.
 *   <li>With an {@link ObservationRegistry}, each attempt of each call is observed with Spring AI's
 *       tool observation ({@code spring.ai.tool}), as a child of the observation current on the
 *       calling thread. The executor's OpenTelemetry spans ({@code execute_tool NAME}) and records
 *       are made as configured on the executor.
 *   <li>A tool is retried only if the executor's retry policy says so, and only if it is declared
 *       {@link Builder#idempotent idempotent}; its result is reused from the executor's result
 *       cache only if it is declared {@link Builder#cacheable cacheable} (the cache key is the tool
 *       name and the JSON arguments, canonical when they are a JSON object: member order and white
 *       space do not matter; the request's tool context is not part of it). The callback always
 *       gets the model's own argument text.
 *   <li>Spring AI 2.0.1's per-turn tool call limits apply with the same defaults (40 calls per
 *       tool, 150 in all, counted since the last user message) and messages; see {@link
 *       Builder#maxCallsPerTool(int)}.
 * </ul>
 *
 * <p>Conversations: when the request's tool context holds {@link ChatMemory#CONVERSATION_ID}
 * ({@code chatClient.prompt()...toolContext(Map.of(ChatMemory.CONVERSATION_ID, id))}), the run
 * starts under the OpenTelemetry baggage entry {@code session.id} = that id (its string form),
 * unless the caller's context holds a {@code session.id} already (the caller's wins). Preloading in
 * the planner's result cache keys its context by that entry, so the turns of one conversation share
 * a preload context and two conversations do not. (Spring AI's chat memory advisors read the id
 * from the advisor context, which a {@code ToolCallingManager} does not see: put it in the tool
 * context too.)
 *
 * <p>Call ids: a Parallax call takes the id the model gave it; when the model gave none, or the
 * same one twice, the call is named {@code call-N} (N its position) in Parallax, and the tool
 * response still carries the model's id.
 *
 * <p>Thread-safe: any number of threads may execute tool calls at once. {@link #close()} closes the
 * executor only if this manager built it.
 */
public final class ParallaxToolCallingManager implements ToolCallingManager, AutoCloseable {

  private static final System.Logger LOG =
      System.getLogger(ParallaxToolCallingManager.class.getName());

  private final ToolExecutor executor;
  private final boolean ownsExecutor;
  private final ObservationRegistry observations;
  private final @Nullable ToolCallingObservationConvention convention;
  private final ToolCallbackResolver resolver;
  private final boolean resolutionFallback;
  private final ToolExecutionExceptionProcessor exceptionProcessor;
  private final Set<String> idempotentTools;
  private final Set<String> cacheableTools;
  private final ToolCallBudget budget;
  private final ToolCallLimitBehavior onLimitExceeded;
  private final LongAdder resolverFailures = new LongAdder();

  private ParallaxToolCallingManager(Builder b) {
    this.ownsExecutor = b.executor == null;
    this.executor = b.executor != null ? b.executor : ToolExecutor.builder().build();
    this.observations = b.observations;
    this.convention = b.convention;
    this.resolver = b.resolver;
    this.resolutionFallback = b.resolutionFallback;
    this.exceptionProcessor = b.exceptionProcessor;
    this.idempotentTools = Set.copyOf(b.idempotentTools);
    this.cacheableTools = Set.copyOf(b.cacheableTools);
    this.budget = new ToolCallBudget(b.maxCallsPerTool, b.maxCallsOfTool, b.maxTotalToolCalls);
    this.onLimitExceeded = b.onLimitExceeded;
  }

  /** Starts a builder with the defaults listed on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /** The executor the tool calls run on. */
  public ToolExecutor executor() {
    return executor;
  }

  /**
   * The definitions of the tool callbacks of the options, in their order (as Spring AI's default
   * manager).
   */
  @Override
  public List<ToolDefinition> resolveToolDefinitions(ToolCallingChatOptions chatOptions) {
    Objects.requireNonNull(chatOptions, "chatOptions");
    return callbacksOf(chatOptions).stream().map(ToolCallback::getToolDefinition).toList();
  }

  /**
   * Runs the tool calls of the first generation that has any, as one Parallax run, and returns the
   * conversation so far followed by the assistant message and one tool response message holding a
   * response per call, in call order.
   *
   * @throws IllegalStateException if no generation of the response asks for a tool call
   * @throws RuntimeException what the {@link ToolExecutionExceptionProcessor} throws for a failed
   *     call (after every call of the message has ended)
   */
  @Override
  public ToolExecutionResult executeToolCalls(Prompt prompt, ChatResponse chatResponse) {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(chatResponse, "chatResponse");
    AssistantMessage assistantMessage =
        chatResponse.getResults().stream()
            .map(Generation::getOutput)
            .filter(message -> !message.getToolCalls().isEmpty())
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("No tool call requested by the chat model"));

    List<ToolCallback> offered =
        prompt.getOptions() instanceof ToolCallingChatOptions options
            ? callbacksOf(options)
            : List.of();
    ToolContext toolContext = toolContextOf(prompt);
    Observation parent = parentObservation();

    List<AssistantMessage.ToolCall> requested = assistantMessage.getToolCalls();
    List<String> ids = parallaxIds(requested);
    List<ToolCall<?, ?>> calls = new ArrayList<>(requested.size());
    List<@Nullable ToolCallback> callbacks = new ArrayList<>(requested.size());
    List<ToolCallBudget.@Nullable Breach> breaches = new ArrayList<>(requested.size());
    Map<String, Integer> counts = ToolCallBudget.priorCalls(prompt.getInstructions());
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    boolean returnDirect = true;
    int end = requested.size();
    for (int i = 0; i < end; i++) {
      AssistantMessage.ToolCall call = requested.get(i);
      ToolCallBudget.Breach breach =
          budget.check(call.name(), counts.merge(call.name(), 1, Integer::sum), ++total);
      breaches.add(breach);
      if (breach != null) {
        callbacks.add(null);
        if (onLimitExceeded == ToolCallLimitBehavior.THROW) {
          end = i; // as Spring AI's manager: the calls before the breach run, then it throws
        }
        continue;
      }
      String arguments =
          call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
      ToolCallback callback;
      Tool<String, String> tool = null;
      try {
        callback = find(call.name(), offered);
      } catch (RuntimeException | LinkageError | AssertionError e) {
        // the resolver is a seam: its failure fails this call only
        resolverFailures.increment();
        LOG.log(
            System.Logger.Level.WARNING,
            "ToolCallbackResolver failed to resolve tool '" + call.name() + "'; the call fails",
            e);
        callback = null;
        tool =
            new UnknownTool(
                call.name(),
                "Error: tool '"
                    + call.name()
                    + "' could not be resolved: "
                    + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
      callbacks.add(callback);
      if (tool != null) {
        returnDirect = false;
      } else if (callback == null) {
        returnDirect = false;
        tool =
            new UnknownTool(
                call.name(), offered.stream().map(c -> c.getToolDefinition().name()).toList());
      } else {
        returnDirect &= callback.getToolMetadata().returnDirect();
        tool =
            new CallbackTool(
                specOf(callback.getToolDefinition()),
                callback,
                toolContext,
                call.id(),
                call.type(),
                observations,
                convention,
                parent);
      }
      JsonNode object =
          tool instanceof CallbackTool c && c.spec().cacheable()
              ? JsonCallbackTool.object(arguments)
              : null;
      calls.add(
          object != null
              ? ToolCall.of(
                  ids.get(i), JsonCallbackTool.of((CallbackTool) tool, arguments, object), object)
              : ToolCall.of(ids.get(i), tool, arguments));
    }

    // the run starts under session.id = the conversation id (unless the caller set its own), so
    // that preloading keeps one context per conversation across its turns
    List<CallResult<?>> results =
        calls.isEmpty()
            ? List.of()
            : SessionBaggage.with(
                conversationId(toolContext),
                () -> executor.execute(ExecutionPlan.parallel(calls)).results());

    List<ToolResponseMessage.ToolResponse> responses = new ArrayList<>(requested.size());
    RuntimeException processorFailure = null;
    int next = 0;
    for (int i = 0; i < breaches.size(); i++) {
      AssistantMessage.ToolCall call = requested.get(i);
      ToolCallBudget.Breach breach = breaches.get(i);
      if (breach != null) {
        responses.add(
            new ToolResponseMessage.ToolResponse(call.id(), call.name(), breach.message()));
        if (onLimitExceeded == ToolCallLimitBehavior.THROW) {
          throw new ToolCallLimitExceededException(
              breach.toolName(),
              breach.limit(),
              ToolExecutionResult.builder()
                  .conversationHistory(history(prompt, assistantMessage, responses))
                  .returnDirect(false)
                  .build());
        }
        continue;
      }
      CallResult<?> result = results.get(next++);
      String text;
      if (result.isSuccess()) {
        text = result.value() == null ? "" : String.valueOf(result.value());
      } else {
        ToolCallback callback = callbacks.get(i);
        try {
          text =
              FailureMessages.of(
                  result,
                  call.name(),
                  callback == null ? null : callback.getToolDefinition(),
                  exceptionProcessor);
        } catch (RuntimeException e) {
          if (processorFailure == null) {
            processorFailure = e;
          } else {
            processorFailure.addSuppressed(e);
          }
          continue;
        }
      }
      responses.add(new ToolResponseMessage.ToolResponse(call.id(), call.name(), text));
    }
    if (processorFailure != null) {
      throw processorFailure;
    }

    return ToolExecutionResult.builder()
        .conversationHistory(history(prompt, assistantMessage, responses))
        .returnDirect(returnDirect && !calls.isEmpty())
        .build();
  }

  private static List<Message> history(
      Prompt prompt,
      AssistantMessage assistantMessage,
      List<ToolResponseMessage.ToolResponse> responses) {
    List<Message> history = new ArrayList<>(prompt.getInstructions());
    history.add(assistantMessage);
    history.add(ToolResponseMessage.builder().responses(responses).build());
    return history;
  }

  /**
   * How many times the {@link ToolCallbackResolver} threw (each time, the call it was resolving
   * failed with a message saying so, and the other calls ran).
   */
  public long resolverFailures() {
    return resolverFailures.sum();
  }

  /** Closes the executor if this manager built it (no executor was given); else does nothing. */
  @Override
  public void close() {
    if (ownsExecutor) {
      executor.close();
    }
  }

  private ToolSpec specOf(ToolDefinition definition) {
    String name = definition.name();
    return ToolSpec.builder(ToolNames.parallaxName(name))
        .description(definition.description() == null ? "" : definition.description())
        .inputType(String.class)
        .inputSchema(definition.inputSchema())
        .idempotent(idempotentTools.contains(name))
        .cacheable(cacheableTools.contains(name))
        .build();
  }

  private @Nullable ToolCallback find(String name, List<ToolCallback> offered) {
    for (ToolCallback callback : offered) {
      if (name.equals(callback.getToolDefinition().name())) {
        return callback;
      }
    }
    return resolutionFallback ? resolver.resolve(name) : null;
  }

  private @Nullable Observation parentObservation() {
    if (observations.isNoop()) {
      return null;
    }
    return ToolCallReactiveContextHolder.getContext()
        .getOrDefault(ObservationThreadLocalAccessor.KEY, observations.getCurrentObservation());
  }

  private static List<ToolCallback> callbacksOf(ToolCallingChatOptions options) {
    List<ToolCallback> callbacks = options.getToolCallbacks();
    return callbacks == null ? List.of() : callbacks;
  }

  private static ToolContext toolContextOf(Prompt prompt) {
    if (prompt.getOptions() instanceof ToolCallingChatOptions options) {
      Map<String, Object> context = options.getToolContext();
      if (context != null && !context.isEmpty()) {
        return new ToolContext(new HashMap<>(context));
      }
    }
    return new ToolContext(Map.of());
  }

  /** The conversation id in the request's tool context, or null. */
  private static @Nullable Object conversationId(ToolContext toolContext) {
    return toolContext.getContext().get(ChatMemory.CONVERSATION_ID);
  }

  /** The model's ids when they are all present and distinct, else {@code call-N} where needed. */
  private static List<String> parallaxIds(List<AssistantMessage.ToolCall> calls) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (AssistantMessage.ToolCall call : calls) {
      String id = call.id();
      if (id != null && !id.isBlank()) {
        seen.merge(id, 1, Integer::sum);
      }
    }
    List<String> ids = new ArrayList<>(calls.size());
    Set<String> used = new HashSet<>();
    for (int i = 0; i < calls.size(); i++) {
      String id = calls.get(i).id();
      String chosen = id != null && !id.isBlank() && seen.get(id) == 1 ? id : "call-" + i;
      while (!used.add(chosen)) {
        chosen = chosen + "'";
      }
      ids.add(chosen);
    }
    return ids;
  }

  /** Configures a {@link ParallaxToolCallingManager}. Not thread-safe; the built manager is. */
  public static final class Builder {
    private @Nullable ToolExecutor executor;
    private ObservationRegistry observations = ObservationRegistry.NOOP;
    private @Nullable ToolCallingObservationConvention convention;
    private ToolCallbackResolver resolver = new DelegatingToolCallbackResolver(List.of());
    private boolean resolutionFallback;
    private ToolExecutionExceptionProcessor exceptionProcessor =
        DefaultToolExecutionExceptionProcessor.builder().build();
    private final Set<String> idempotentTools = new HashSet<>();
    private final Set<String> cacheableTools = new HashSet<>();
    private int maxCallsPerTool = DefaultToolCallingManager.DEFAULT_MAX_CALLS_PER_TOOL;
    private final Map<String, Integer> maxCallsOfTool = new HashMap<>();
    private int maxTotalToolCalls = DefaultToolCallingManager.DEFAULT_MAX_TOTAL_TOOL_CALLS;
    private ToolCallLimitBehavior onLimitExceeded = ToolCallLimitBehavior.THROW;

    private Builder() {}

    /**
     * Most calls of any one tool in a turn (since the last user message), as Spring AI's {@code
     * spring.ai.tools.limits.max-calls-per-tool-default} (default 40); {@code -1}: no limit.
     *
     * @throws IllegalArgumentException if 0 or below -1
     */
    public Builder maxCallsPerTool(int limit) {
      this.maxCallsPerTool = limit("maxCallsPerTool", limit);
      return this;
    }

    /**
     * Most calls of the named tool in a turn, overriding {@link #maxCallsPerTool(int)}; {@code -1}:
     * no limit for this tool.
     *
     * @throws IllegalArgumentException if the name is blank, or the limit is 0 or below -1
     */
    public Builder maxCallsPerTool(String toolName, int limit) {
      if (toolName == null || toolName.isBlank()) {
        throw new IllegalArgumentException("maxCallsPerTool: tool name is blank or null");
      }
      maxCallsOfTool.put(toolName, limit("maxCallsPerTool(" + toolName + ")", limit));
      return this;
    }

    /**
     * Most tool calls in a turn, all tools together (default 150); {@code -1}: no limit.
     *
     * @throws IllegalArgumentException if 0 or below -1
     */
    public Builder maxTotalToolCalls(int limit) {
      this.maxTotalToolCalls = limit("maxTotalToolCalls", limit);
      return this;
    }

    /**
     * What a call over a limit does (default {@code THROW}, as Spring AI): {@code THROW} runs the
     * calls before it and throws Spring AI's {@link ToolCallLimitExceededException}; {@code
     * RETURN_ERROR_RESPONSE} answers that call with the limit's message and runs the others.
     */
    public Builder onLimitExceeded(ToolCallLimitBehavior behavior) {
      this.onLimitExceeded = Objects.requireNonNull(behavior, "behavior");
      return this;
    }

    private static int limit(String what, int limit) {
      if (limit == 0 || limit < ToolCallBudget.UNLIMITED) {
        throw new IllegalArgumentException(what + " must be >= 1 or -1 (no limit), was " + limit);
      }
      return limit;
    }

    /**
     * The executor that runs the calls (default: one built with {@code ToolExecutor.builder()}'s
     * defaults, closed by {@link ParallaxToolCallingManager#close()}). A given executor is not
     * closed by the manager.
     */
    public Builder executor(ToolExecutor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Where Spring AI's tool observations go (default {@code ObservationRegistry.NOOP}: none). */
    public Builder observationRegistry(ObservationRegistry observationRegistry) {
      this.observations = Objects.requireNonNull(observationRegistry, "observationRegistry");
      return this;
    }

    /** A custom convention for Spring AI's tool observations (default: Spring AI's). */
    public Builder observationConvention(ToolCallingObservationConvention convention) {
      this.convention = Objects.requireNonNull(convention, "convention");
      return this;
    }

    /** Finds tools by name when {@link #resolutionFallbackEnabled} is set (default: finds none). */
    public Builder toolCallbackResolver(ToolCallbackResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Whether a tool the request does not offer may be found through the {@link
     * #toolCallbackResolver} (default {@code false}, as in Spring AI 2.0.1's default manager).
     */
    public Builder resolutionFallbackEnabled(boolean enabled) {
      this.resolutionFallback = enabled;
      return this;
    }

    /**
     * Converts what a tool threw to the text the model reads, or throws to end the turn (default:
     * Spring AI's {@code DefaultToolExecutionExceptionProcessor}, which returns the message).
     */
    public Builder toolExecutionExceptionProcessor(ToolExecutionExceptionProcessor processor) {
      this.exceptionProcessor = Objects.requireNonNull(processor, "processor");
      return this;
    }

    /**
     * Declares tools idempotent: the executor's retry policy may run them again after a failed
     * attempt (default: no tool is, so none is retried unless the policy retries non-idempotent
     * tools).
     *
     * @throws IllegalArgumentException if a name is blank
     */
    public Builder idempotent(String... toolNames) {
      return addNames(idempotentTools, "idempotent", List.of(toolNames));
    }

    /** Declares tools idempotent; see {@link #idempotent(String...)}. */
    public Builder idempotent(Collection<String> toolNames) {
      return addNames(idempotentTools, "idempotent", toolNames);
    }

    /**
     * Declares tools cacheable: with a result cache on the executor, a call with the same tool and
     * arguments may be answered from it (default: no tool is).
     *
     * @throws IllegalArgumentException if a name is blank
     */
    public Builder cacheable(String... toolNames) {
      return addNames(cacheableTools, "cacheable", List.of(toolNames));
    }

    /** Declares tools cacheable; see {@link #cacheable(String...)}. */
    public Builder cacheable(Collection<String> toolNames) {
      return addNames(cacheableTools, "cacheable", toolNames);
    }

    private Builder addNames(Set<String> target, String what, Collection<String> names) {
      for (String name : names) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException(what + ": a tool name is blank or null: " + names);
        }
        target.add(name);
      }
      return this;
    }

    /** Builds the manager. */
    public ParallaxToolCallingManager build() {
      return new ParallaxToolCallingManager(this);
    }
  }
}
