package dev.parallax.cluster.internal;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.parallax.cluster.MemberLostException;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/*
 * Runs attempts on the members of the cluster. An attempt of a registered tool whose input is known
 * when the call is made (not derived from dependencies) is sent as a RemoteCall — the tool's name
 * and its input as JSON — to the member Placement picks, through the cluster's executor service;
 * the value (or what the tool threw) comes back and is reported to the engine. Other attempts run
 * here on a virtual thread, as without a cluster.
 *
 * When the member running an attempt leaves (its future fails with MemberLeftException, or the
 * target is no longer a member): an idempotent tool's attempt is sent again to a survivor (never to
 * a member that already left); a non-idempotent one ends with a MemberLostException, because the
 * tool may or may not have done its work there. So no attempt is lost, and none runs twice unless
 * its tool is idempotent.
 */
/** The distributed call runner. Thread-safe. Internal; may change at any time. */
public final class ClusterRunner implements CallRunner {

  private final Cluster cluster;
  private final IExecutorService executor;
  private final ToolRegistry tools;
  private final Placement placement = new Placement();
  private final LongAdder sent = new LongAdder();
  private final LongAdder rerun = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final LongAdder local = new LongAdder();

  /**
   * A runner.
   *
   * @param cluster the cluster, for its members
   * @param executor the executor service that runs calls on members
   * @param tools the tools every member registers
   */
  public ClusterRunner(Cluster cluster, IExecutorService executor, ToolRegistry tools) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  @Override
  public Cancellable start(AttemptExecution attempt) {
    PendingCall call = attempt.call();
    Tool<?, ?> tool = attempt.runsTool(); // a hedge may run an alternative
    ToolCall<?, ?> submitted = call.call();
    Object input = submitted.input();
    String arguments = null;
    if (input != null
        && submitted.argumentsError() == null
        && tools.find(tool.name()).orElse(null) == tool) {
      try {
        arguments = Json.arguments(input);
      } catch (Exception e) {
        arguments = null; // not JSON: runs here
      }
    }
    if (arguments == null) {
      local.increment();
      return CallRunner.virtualThreads().start(attempt);
    }
    Remote remote =
        new Remote(
            attempt,
            tool.spec().idempotent(),
            new RemoteCall(call.runId(), call.callId(), attempt.attempt(), tool.name(), arguments));
    remote.send();
    return remote;
  }

  /** Attempts sent to a member. */
  public long sent() {
    return sent.sum();
  }

  /** Idempotent attempts sent again because their member left. */
  public long rerun() {
    return rerun.sum();
  }

  /** Non-idempotent attempts failed because their member left. */
  public long lost() {
    return lost.sum();
  }

  /** Attempts run on this member's virtual threads (derived inputs, unregistered tools). */
  public long local() {
    return local.sum();
  }

  /** The placement, for its view of the load. */
  public Placement placement() {
    return placement;
  }

  /** One attempt sent to members, until it ends. */
  private final class Remote implements Cancellable {
    private final AttemptExecution attempt;
    private final boolean idempotent;
    private final RemoteCall task;
    private final Set<UUID> left = new HashSet<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile @Nullable Future<?> future;

    Remote(AttemptExecution attempt, boolean idempotent, RemoteCall task) {
      this.attempt = attempt;
      this.idempotent = idempotent;
      this.task = task;
    }

    void send() {
      if (cancelled.get()) {
        attempt.complete(null, new CancellationException("cancelled"));
        return;
      }
      Member member;
      synchronized (left) {
        member = placement.choose(cluster.getMembers(), left);
      }
      if (member == null) {
        attempt.complete(
            null,
            new MemberLostException(
                "no member left to run call "
                    + attempt.call().callId()
                    + " of tool "
                    + toolName()));
        return;
      }
      UUID uuid = member.getUuid();
      placement.sent(uuid);
      sent.increment();
      Future<@Nullable Object> f;
      try {
        f = executor.submitToMember(task, member);
      } catch (RuntimeException e) {
        placement.returned(uuid);
        ended(member, e);
        return;
      }
      future = f;
      if (cancelled.get()) {
        f.cancel(true);
      }
      if (f instanceof CompletionStage<?> stage) {
        stage.whenComplete(
            (value, error) -> {
              placement.returned(uuid);
              if (error == null) {
                attempt.complete(value, null);
              } else {
                ended(member, error);
              }
            });
      } else {
        throw new IllegalStateException("Hazelcast's executor gave no CompletionStage");
      }
    }

    private void ended(Member member, Throwable error) {
      Throwable cause = unwrap(error);
      if (cancelled.get() || cause instanceof CancellationException) {
        attempt.complete(null, new CancellationException("cancelled"));
      } else if (memberLeft(cause)) {
        if (idempotent) {
          synchronized (left) {
            left.add(member.getUuid());
          }
          rerun.increment();
          send();
        } else {
          lost.increment();
          attempt.complete(
              null,
              new MemberLostException(
                  "member "
                      + member.getUuid()
                      + " "
                      + member.getAddress()
                      + " left the cluster while running call "
                      + attempt.call().callId()
                      + " of tool "
                      + toolName()
                      + "; the tool is not idempotent, so it is not run again: it may or may not"
                      + " have done its work"));
        }
      } else {
        attempt.complete(null, cause);
      }
    }

    private String toolName() {
      return "'" + attempt.runsTool().name() + "'";
    }

    @Override
    public void cancel() {
      if (cancelled.compareAndSet(false, true)) {
        Future<?> f = future;
        if (f != null) {
          f.cancel(true);
        }
      }
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e.getClass() == ExecutionException.class)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static boolean memberLeft(Throwable e) {
    return e instanceof MemberLeftException
        || e instanceof TargetNotMemberException
        || e instanceof HazelcastInstanceNotActiveException;
  }
}
