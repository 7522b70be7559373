package dev.parallax.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolRegistry;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * One attempt sent to a member: the tool's name and the arguments as JSON, run there with the
 * member's own {@link ToolRegistry} (every member registers the same tools). Internal; may change
 * at any time.
 */
public final class RemoteCall
    implements Callable<@Nullable Object>, Serializable, HazelcastInstanceAware {

  @Serial private static final long serialVersionUID = 1L;

  private final String runId;
  private final String callId;
  private final int attempt;
  private final String tool;
  private final String arguments;
  private transient @Nullable HazelcastInstance instance;

  /**
   * An attempt to send.
   *
   * @param runId the run's id
   * @param callId the call's id
   * @param attempt the attempt number
   * @param tool the tool's name
   * @param arguments the input as JSON
   */
  public RemoteCall(String runId, String callId, int attempt, String tool, String arguments) {
    this.runId = runId;
    this.callId = callId;
    this.attempt = attempt;
    this.tool = tool;
    this.arguments = arguments;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.instance = instance;
  }

  @Override
  public @Nullable Object call() throws Exception {
    HazelcastInstance here = instance;
    Object registered = here == null ? null : here.getUserContext().get(Names.TOOLS);
    if (!(registered instanceof ToolRegistry registry)) {
      throw new IllegalStateException(
          "member "
              + (here == null ? "?" : here.getCluster().getLocalMember().getUuid())
              + " has no Parallax tools registered; start every member with ParallaxCluster's"
              + " tools(...)");
    }
    ToolCall<?, ?> call = registry.call(callId, tool, arguments);
    Exception refused = call.argumentsError();
    if (refused != null) {
      throw refused;
    }
    return run(call);
  }

  private <I> @Nullable Object run(ToolCall<I, ?> call) throws Exception {
    Tool<I, ?> t = call.tool();
    return t.call(call.input(), new Context());
  }

  /** The context of a call run for another member: no deadline here (the caller keeps it). */
  private final class Context implements ToolContext {
    @Override
    public String runId() {
      return runId;
    }

    @Override
    public String callId() {
      return callId;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public @Nullable Instant deadline() {
      return null;
    }

    @Override
    public @Nullable Duration remaining() {
      return null;
    }

    @Override
    public boolean isCancelled() {
      return Thread.currentThread().isInterrupted();
    }

    @Override
    public Map<String, CallResult<?>> dependencies() {
      return Map.of();
    }
  }
}
