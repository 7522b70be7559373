package dev.parallax.mcp.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/*
 * The SDK's StdioClientTransport keeps its Process private, and on close it only sends SIGTERM to
 * the process it started. Started through `npx`, that process is `npm exec`, whose child `sh` and
 * grandchild `node` (the real server) survive a SIGTERM to npm (checked with npm 10 / Node 20).
 * And when the server dies, the transport sees the end of its output but the SDK fails none of the
 * pending requests: they wait for the request timeout. So we find the process ourselves: the child
 * of this JVM that appeared while the transport connected (connections are serialised by a lock, so
 * two registries connecting at once cannot take each other's process; a process started at the
 * same moment by other code of the JVM could still be mistaken for it). Its exit is watched with
 * ProcessHandle.onExit (no thread of ours), and close kills its whole tree.
 */

/**
 * The process of a server started over stdio: discovery, exit watching and killing of its tree (see
 * the comment at the top of the source). Internal; may change at any time.
 */
public final class ServerProcess {

  private static final ReentrantLock CONNECTING = new ReentrantLock();

  private final ProcessHandle handle;

  private ServerProcess(ProcessHandle handle) {
    this.handle = handle;
  }

  /** A discovery in progress: holds the connection lock until {@link #found()}. */
  public static final class Discovery {
    private final Set<Long> before;

    private Discovery(Set<Long> before) {
      this.before = before;
    }

    /** The child process that appeared since {@link #begin()}, if any; releases the lock. */
    public @Nullable ServerProcess found() {
      try {
        List<ProcessHandle> started =
            ProcessHandle.current()
                .children()
                .filter(p -> !before.contains(p.pid()))
                .filter(ProcessHandle::isAlive)
                .toList();
        return started.size() == 1 ? new ServerProcess(started.get(0)) : null;
      } finally {
        CONNECTING.unlock();
      }
    }
  }

  /** Takes the connection lock and notes this JVM's child processes. */
  public static Discovery begin() {
    CONNECTING.lock();
    try {
      return new Discovery(
          ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet()));
    } catch (RuntimeException | Error e) {
      CONNECTING.unlock();
      throw e;
    }
  }

  /** The process id. */
  public long pid() {
    return handle.pid();
  }

  /** Whether it still runs. */
  public boolean isAlive() {
    return handle.isAlive();
  }

  /** Runs {@code action} once when the process exits. */
  public void onExit(Runnable action) {
    handle.onExit().thenRun(action);
  }

  /** The process and its descendants, noted now (before the parent dies and they are orphaned). */
  public List<ProcessHandle> tree() {
    List<ProcessHandle> tree = new java.util.ArrayList<>(handle.descendants().toList());
    tree.add(handle);
    return tree;
  }

  /** Kills the given processes (SIGKILL) and waits up to {@code seconds} for each to exit. */
  public static void kill(List<ProcessHandle> processes, long seconds) {
    for (ProcessHandle p : processes) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(seconds, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // gone or not killable: nothing more to do
      }
    }
  }
}
