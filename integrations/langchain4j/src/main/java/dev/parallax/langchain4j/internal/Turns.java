package dev.parallax.langchain4j.internal;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.OpenRun;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.trace.SessionBaggage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/*
 * Which Parallax run a LangChain4j tool call belongs to.
 *
 * One model turn (the tool calls of one AI message) is one open run. LangChain4j hands the calls
 * of a turn to the tool executors one by one — all at once with executeToolsConcurrently, one
 * after another without it, and in streaming mode each as soon as it has arrived — so a turn's
 * run is opened by its first call (or by the model's response, whichever comes first) and takes
 * the others as they come. Where a turn ends is told by LangChain4j's AiServiceResponseReceivedEvent,
 * which carries the AI message: the run is completed once as many calls of Parallax tools have
 * been submitted as the message holds (in synchronous mode the event comes before the calls, in
 * streaming mode after them; both orders work). The next call of the same invocation then opens a
 * new run. Without the event (the listeners never handed out), a run is completed whenever none of
 * its calls is unfinished: calls that overlap still share a run, but a very fast call may end
 * its run before a sibling arrives. The end of the invocation (completed or failed) completes
 * whatever is left.
 *
 * A turn's run is opened under the OpenTelemetry baggage entry session.id = the invocation's chat
 * memory id (when the caller set no session.id of its own), so that preloading keeps one context
 * per conversation across its turns and invocations instead of one per run.
 *
 * Runs are keyed by LangChain4j's invocation id. All state is guarded by this object's monitor;
 * the monitor is held while a call is submitted so that a run is never completed between a
 * call's arrival and its submission.
 *
 * Internal; may change at any time.
 */
/** Groups the tool calls of each model turn into one Parallax open run. Thread-safe. */
public final class Turns {

  /** One turn: its run and how many of its calls came and ended. */
  public static final class Turn {
    final Object key;
    final OpenRun run;
    final Set<String> ids = new HashSet<>();
    int submitted;
    int outstanding;
    int expected = -1;
    boolean completed;

    Turn(Object key, OpenRun run) {
      this.key = key;
      this.run = run;
    }

    /** The run of this turn. */
    public OpenRun run() {
      return run;
    }
  }

  /** A call submitted to its turn's run. */
  public record Submitted(Turn turn, String callId, CompletableFuture<CallResult<?>> result) {}

  /** Makes the Parallax call once its id within the run is known. */
  public interface CallFactory {
    ToolCall<?, ?> make(String runId, String callId);
  }

  private final ToolExecutor executor;
  private final Map<Object, Turn> current = new HashMap<>();
  private boolean sawResponses;
  private boolean listenersInUse;
  private long generatedIds;

  public Turns(ToolExecutor executor) {
    this.executor = executor;
  }

  /**
   * Submits a call to the current turn of the invocation ({@code key}), opening one if needed under
   * the session of the chat memory id ({@code null}: the caller's context as it is).
   *
   * @param wantedId the model's id of the call; made unique within the run if it is not
   */
  public synchronized Submitted submit(
      Object key, @Nullable Object memoryId, String wantedId, CallFactory factory) {
    Turn turn = current.get(key);
    if (turn == null) {
      turn = new Turn(key, open(memoryId));
      current.put(key, turn);
    }
    String id = uniqueId(turn, wantedId);
    CompletableFuture<CallResult<?>> result = turn.run.submit(factory.make(turn.run.id(), id));
    turn.submitted++;
    turn.outstanding++;
    maybeComplete(turn);
    return new Submitted(turn, id, result);
  }

  /** A call of the turn has its result. */
  public synchronized void ended(Turn turn) {
    turn.outstanding--;
    maybeComplete(turn);
  }

  /**
   * The model answered in the invocation ({@code key}) with this many calls of Parallax tools: the
   * current turn holds that many calls.
   */
  public synchronized void response(Object key, @Nullable Object memoryId, int parallaxCalls) {
    sawResponses = true;
    if (parallaxCalls == 0) {
      return;
    }
    Turn turn = current.get(key);
    if (turn == null) {
      turn = new Turn(key, open(memoryId));
      current.put(key, turn);
    }
    turn.expected = parallaxCalls;
    maybeComplete(turn);
  }

  /** The invocation ended: its turn, if one is left, takes no more calls. */
  public synchronized void invocationEnded(Object key) {
    Turn turn = current.get(key);
    if (turn != null) {
      complete(turn);
    }
  }

  /**
   * The listeners were handed out to be registered: turns end by the model's responses only, never
   * because their calls happen to have ended.
   */
  public synchronized void listenersInUse() {
    listenersInUse = true;
  }

  /** Turns in progress (for tests and diagnostics). */
  public synchronized int open() {
    return current.size();
  }

  /** Opens a run under the conversation's session (unless the caller set its own). */
  private OpenRun open(@Nullable Object memoryId) {
    return SessionBaggage.with(memoryId, executor::open);
  }

  private void maybeComplete(Turn turn) {
    boolean allArrived = turn.expected >= 0 && turn.submitted >= turn.expected;
    boolean idle = !listenersInUse && !sawResponses && turn.outstanding == 0 && turn.submitted > 0;
    if (allArrived || idle) {
      complete(turn);
    }
  }

  private void complete(Turn turn) {
    if (turn.completed) {
      return;
    }
    turn.completed = true;
    current.remove(turn.key, turn);
    turn.run.complete();
  }

  private String uniqueId(Turn turn, String wantedId) {
    String id = wantedId.isBlank() ? "call-" + ++generatedIds : wantedId;
    String unique = id;
    for (int n = 2; !turn.ids.add(unique); n++) {
      unique = id + "#" + n;
    }
    return unique;
  }
}
