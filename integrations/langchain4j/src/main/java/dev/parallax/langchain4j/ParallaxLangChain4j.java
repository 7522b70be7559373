package dev.parallax.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.observability.api.event.AiServiceCompletedEvent;
import dev.langchain4j.observability.api.event.AiServiceErrorEvent;
import dev.langchain4j.observability.api.event.AiServiceEvent;
import dev.langchain4j.observability.api.event.AiServiceResponseReceivedEvent;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolService;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.langchain4j.internal.LangChain4jTool;
import dev.parallax.langchain4j.internal.ParallaxBackedExecutor;
import dev.parallax.langchain4j.internal.Schemas;
import dev.parallax.langchain4j.internal.Turns;
import io.opentelemetry.context.Context;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Runs the tool calls of LangChain4j {@code AiServices} through a Parallax {@link ToolExecutor}:
 * the calls of each model turn form one Parallax run, so they run in parallel under its limits,
 * retries, timeouts, tracing, records and seams, and come back to the model in call order.
 *
 * <pre>{@code
 * ParallaxLangChain4j parallax = ParallaxLangChain4j.builder(executor).tools(new WeatherTools()).build();
 * Assistant assistant = parallax.install(AiServices.builder(Assistant.class).chatModel(model)).build();
 * }</pre>
 *
 * <p>{@link #install} is short for three standard {@code AiServices} builder calls, which may also
 * be made one by one: {@code .tools(parallax.aiServiceTools())} (the tools, each backed by
 * Parallax), {@code .executeToolsConcurrently(parallax.executor())} (LangChain4j hands all calls of
 * a turn over at once instead of one after another, and in streaming mode each call as soon as it
 * has arrived) and {@code .registerListeners(parallax.listeners())} (tells where each turn ends).
 *
 * <p>Tools are {@code @Tool} methods of objects (with an optional {@link ParallaxTool} annotation)
 * or {@link ToolSpecification}s with LangChain4j {@link
 * dev.langchain4j.service.tool.ToolExecutor}s. Each becomes a Parallax tool with the same name,
 * description and JSON schema; Parallax checks the model's arguments against the schema before the
 * tool runs. A call that fails, times out, is cancelled or has invalid arguments becomes an error
 * result whose text tells the model what happened; the other calls of the turn keep their results.
 * A tool name the model invents is left to LangChain4j's hallucinated-tool-name strategy.
 *
 * <p><b>Conversations.</b> Each turn's run starts under the OpenTelemetry baggage entry {@code
 * session.id} = the invocation's chat memory id (its {@code @MemoryId} argument, or {@code
 * "default"}, LangChain4j's id of the one memory of a service without {@code @MemoryId}), unless
 * the caller's context holds a {@code session.id} already (the caller's wins). Preloading in the
 * planner's result cache keys its context by that entry, so the turns of one conversation share a
 * preload context and two conversations do not. A service without {@code @MemoryId} is one
 * conversation to LangChain4j and so one session to preloading; set {@code session.id} yourself to
 * split it.
 *
 * <p>Thread-safe; one instance may serve any number of AI services and invocations. The Parallax
 * executor stays the caller's: close it when done.
 */
public final class ParallaxLangChain4j {

  private static final Logger LOG = Logger.getLogger(ParallaxLangChain4j.class.getName());

  private final List<AiServiceTool> tools;
  private final ToolRegistry registry;
  private final Turns turns;
  private final Executor executor;
  private final List<AiServiceListener<?>> listeners;
  private final AtomicLong listenerFailures = new AtomicLong();

  private ParallaxLangChain4j(Builder b) {
    this.turns = new Turns(b.executor);
    List<LangChain4jTool> parallaxTools = new ArrayList<>();
    List<AiServiceTool> lc4jTools = new ArrayList<>();
    for (AiServiceTool original : b.tools) {
      ToolSpecification spec = original.toolSpecification();
      ParallaxTool declared = declared(original);
      String name = spec.name();
      ToolSpec parallaxSpec =
          ToolSpec.builder(name)
              .description(spec.description() == null ? "" : spec.description())
              .inputType(com.fasterxml.jackson.databind.JsonNode.class)
              .inputSchema(Schemas.inputSchema(spec))
              .idempotent(
                  b.idempotent.contains(name) || (declared != null && declared.idempotent()))
              .cacheable(b.cacheable.contains(name) || (declared != null && declared.cacheable()))
              .concurrencySafe(declared == null || declared.concurrencySafe())
              .build();
      parallaxTools.add(new LangChain4jTool(parallaxSpec, original.toolExecutor()));
    }
    this.registry = ToolRegistry.of(parallaxTools);
    for (int i = 0; i < b.tools.size(); i++) {
      AiServiceTool original = b.tools.get(i);
      lc4jTools.add(
          AiServiceTool.builder()
              .toolSpecification(original.toolSpecification())
              .toolExecutor(new ParallaxBackedExecutor(parallaxTools.get(i), registry, turns))
              .returnBehavior(original.returnBehavior())
              .build());
    }
    this.tools = List.copyOf(lc4jTools);
    ThreadFactory threads = Thread.ofVirtual().name("parallax-langchain4j-", 0).factory();
    // the caller's trace context goes along, so that a turn's run span has the caller's as parent
    this.executor = task -> threads.newThread(Context.current().wrap(task)).start();
    this.listeners = List.of(new ResponseListener(), new CompletedListener(), new ErrorListener());
  }

  /**
   * Starts a builder over a Parallax executor, which decides concurrency, retries, timeouts,
   * tracing, records and the seams.
   */
  public static Builder builder(ToolExecutor executor) {
    return new Builder(executor);
  }

  /**
   * Configures an {@code AiServices} builder to run this adapter's tools through Parallax: adds the
   * {@linkplain #aiServiceTools() tools}, {@code executeToolsConcurrently(}{@linkplain #executor()
   * executor}{@code )} and the {@linkplain #listeners() listeners}.
   *
   * @return the same builder
   */
  public <T> AiServices<T> install(AiServices<T> aiServices) {
    return aiServices
        .tools(tools)
        .executeToolsConcurrently(executor)
        .registerListeners(listeners());
  }

  /** The tools for {@code AiServices.tools(List)}: LangChain4j's, each backed by Parallax. */
  public List<AiServiceTool> aiServiceTools() {
    return tools;
  }

  /** The tools as a map, for {@code AiServices.tools(Map)} (return behaviours are not kept). */
  public Map<ToolSpecification, dev.langchain4j.service.tool.ToolExecutor> toolExecutors() {
    Map<ToolSpecification, dev.langchain4j.service.tool.ToolExecutor> map = new LinkedHashMap<>();
    for (AiServiceTool tool : tools) {
      map.put(tool.toolSpecification(), tool.toolExecutor());
    }
    return Collections.unmodifiableMap(map);
  }

  /**
   * The executor for {@code AiServices.executeToolsConcurrently(Executor)}: one virtual thread per
   * call, which only waits for the call's result (the call itself runs in Parallax). The current
   * OpenTelemetry context of the thread that hands the call over goes along, so a turn's run span
   * is a child of the span that was current when the model's answer was handled.
   */
  public Executor executor() {
    return executor;
  }

  /**
   * The listeners for {@code AiServices.registerListeners(...)}: they tell where turns end. Once
   * they were asked for, a turn's run ends only when the model's response says all its calls have
   * come (or the invocation ends), so they must be registered; without them, a run ends whenever
   * none of its calls is unfinished.
   */
  public List<AiServiceListener<?>> listeners() {
    turns.listenersInUse();
    return listeners;
  }

  /** The Parallax tools, e.g. to give the executor's {@code knownTools} or policies. */
  public ToolRegistry registry() {
    return registry;
  }

  /** Turns whose run still accepts calls (for tests and diagnostics). */
  public int openTurns() {
    return turns.open();
  }

  private static @Nullable ParallaxTool declared(AiServiceTool tool) {
    if (tool.toolExecutor() instanceof DefaultToolExecutor method) {
      Method original = method.originalMethod();
      return original == null ? null : original.getAnnotation(ParallaxTool.class);
    }
    return null;
  }

  private int parallaxCalls(AiServiceResponseReceivedEvent event) {
    var message = event.response() == null ? null : event.response().aiMessage();
    if (message == null || !message.hasToolExecutionRequests()) {
      return 0;
    }
    int n = 0;
    for (var request : message.toolExecutionRequests()) {
      if (request.name() != null && registry.find(request.name()).isPresent()) {
        n++;
      }
    }
    return n;
  }

  /**
   * How many times a listener of this adapter threw (and was ignored); see {@link #listeners()}.
   */
  public long listenerFailures() {
    return listenerFailures.get();
  }

  /** Runs a listener's work; what it throws is logged, counted and never reaches LangChain4j. */
  private void guarded(String what, AiServiceEvent event, Runnable action) {
    try {
      if (event.invocationContext() != null && event.invocationContext().invocationId() != null) {
        action.run();
      }
    } catch (Throwable e) {
      listenerFailures.incrementAndGet();
      LOG.log(Level.WARNING, "Parallax LangChain4j listener failed on " + what, e);
    }
  }

  private final class ResponseListener
      implements AiServiceListener<AiServiceResponseReceivedEvent> {
    @Override
    public Class<AiServiceResponseReceivedEvent> getEventClass() {
      return AiServiceResponseReceivedEvent.class;
    }

    @Override
    public void onEvent(AiServiceResponseReceivedEvent event) {
      guarded(
          "a model response",
          event,
          () ->
              turns.response(
                  event.invocationContext().invocationId(),
                  event.invocationContext().chatMemoryId(),
                  parallaxCalls(event)));
    }
  }

  private final class CompletedListener implements AiServiceListener<AiServiceCompletedEvent> {
    @Override
    public Class<AiServiceCompletedEvent> getEventClass() {
      return AiServiceCompletedEvent.class;
    }

    @Override
    public void onEvent(AiServiceCompletedEvent event) {
      guarded(
          "the end of an invocation",
          event,
          () -> turns.invocationEnded(event.invocationContext().invocationId()));
    }
  }

  private final class ErrorListener implements AiServiceListener<AiServiceErrorEvent> {
    @Override
    public Class<AiServiceErrorEvent> getEventClass() {
      return AiServiceErrorEvent.class;
    }

    @Override
    public void onEvent(AiServiceErrorEvent event) {
      guarded(
          "a failed invocation",
          event,
          () -> turns.invocationEnded(event.invocationContext().invocationId()));
    }
  }

  /**
   * Collects the tools and what Parallax may assume about them. Not thread-safe; the built adapter
   * is.
   */
  public static final class Builder {
    private final ToolExecutor executor;
    private final List<AiServiceTool> tools = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> idempotent = new HashSet<>();
    private final Set<String> cacheable = new HashSet<>();

    private Builder(ToolExecutor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Adds the {@code @Tool} methods of objects, found the way LangChain4j finds them.
     *
     * @throws IllegalArgumentException if an object has no {@code @Tool} method (LangChain4j's
     *     message) or a tool name is already taken
     */
    public Builder tools(Object... objectsWithTools) {
      for (Object object : objectsWithTools) {
        Objects.requireNonNull(object, "objectsWithTools");
        for (AiServiceTool tool : ToolService.findTools(object)) {
          add(tool);
        }
      }
      return this;
    }

    /**
     * Adds tools given as specifications with LangChain4j executors.
     *
     * @throws IllegalArgumentException if a tool name is already taken
     */
    public Builder tools(Map<ToolSpecification, dev.langchain4j.service.tool.ToolExecutor> tools) {
      tools.forEach(
          (spec, toolExecutor) ->
              add(
                  AiServiceTool.builder()
                      .toolSpecification(spec)
                      .toolExecutor(toolExecutor)
                      .build()));
      return this;
    }

    /** Declares tools idempotent (Parallax may retry them), as {@link ParallaxTool#idempotent}. */
    public Builder idempotent(String... toolNames) {
      idempotent.addAll(List.of(toolNames));
      return this;
    }

    /** Declares tools cacheable, as {@link ParallaxTool#cacheable}. */
    public Builder cacheable(String... toolNames) {
      cacheable.addAll(List.of(toolNames));
      return this;
    }

    private void add(AiServiceTool tool) {
      if (!names.add(tool.name())) {
        throw new IllegalArgumentException("duplicate tool name '" + tool.name() + "'");
      }
      tools.add(tool);
    }

    /**
     * Builds the adapter.
     *
     * @throws IllegalArgumentException if {@link #idempotent} or {@link #cacheable} name a tool
     *     that was not added, or a tool's parameters cannot be rendered as JSON Schema
     */
    public ParallaxLangChain4j build() {
      for (String name : idempotent) {
        requireKnown("idempotent", name);
      }
      for (String name : cacheable) {
        requireKnown("cacheable", name);
      }
      return new ParallaxLangChain4j(this);
    }

    private void requireKnown(String what, String name) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException(
            what + ": no tool named '" + name + "'; the tools are " + names);
      }
    }
  }
}
