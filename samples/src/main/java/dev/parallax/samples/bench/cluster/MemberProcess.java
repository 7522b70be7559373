package dev.parallax.samples.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member running {@link ClusterMemberMain} in a JVM of its own (the current {@code java}
 * binary and class path), and the parent's side of its line protocol. {@link #close()} kills it
 * (SIGKILL) and waits for it to end; a JVM shutdown hook does the same if the parent exits before
 * closing it, and the child ends itself when its stdin closes (the parent died, even by SIGKILL).
 * Its stderr goes to a log file, deleted on close. Not thread-safe: one thread drives a member.
 */
public final class MemberProcess implements AutoCloseable {

  private final String label;
  private final Process process;
  private final Writer stdin;
  private final Path log;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Thread hook;

  private MemberProcess(String label, Process process, Path log) {
    this.label = label;
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.hook = new Thread(process::destroyForcibly, "kill " + label);
    Runtime.getRuntime().addShutdownHook(hook);
    Thread.ofVirtual().name("stdout of " + label).start(this::readReplies);
  }

  /**
   * Starts a member process.
   *
   * @param label a name for messages, such as {@code "3 members: #2"}
   * @param args the arguments of {@link ClusterMemberMain#main}
   * @throws UncheckedIOException if the process cannot be started
   */
  public static MemberProcess start(String label, List<String> args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-Dhazelcast.phone.home.enabled=false");
    command.add("-Dhazelcast.logging.type=none");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ClusterMemberMain.class.getName());
    command.addAll(args);
    try {
      Path log = Files.createTempFile("parallax-bench-member-", ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
              .start();
      return new MemberProcess(label, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start member process " + label + ": " + e, e);
    }
  }

  private void readReplies() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(ClusterMemberMain.REPLY)) {
          replies.add(line.substring(ClusterMemberMain.REPLY.length()));
        }
      }
    } catch (IOException e) {
      // the process is gone; await() reports it
    }
  }

  /** Sends one command line. */
  public void send(String command) {
    try {
      stdin.write(command + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new IllegalStateException("member " + label + " is gone: " + e + tail(), e);
    }
  }

  /**
   * The next reply, which must start with {@code expected}.
   *
   * @throws IllegalStateException if none comes within the timeout, the process ended, or the reply
   *     is an error
   */
  public String await(String expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        String reply = replies.poll(200, TimeUnit.MILLISECONDS);
        if (reply != null) {
          if (!reply.startsWith(expected)) {
            throw new IllegalStateException(
                "member " + label + " answered '" + reply + "', expected " + expected + tail());
          }
          return reply.substring(expected.length()).trim();
        }
        if (!process.isAlive() && replies.isEmpty()) {
          throw new IllegalStateException(
              "member " + label + " ended with status " + process.exitValue() + tail());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "member " + label + " did not answer " + expected + " within " + timeout + tail());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for member " + label, e);
    }
  }

  /** Kills the process at once (SIGKILL), as a crash would, and waits for it to end. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the process is running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      int from = Math.max(0, lines.size() - 15);
      return lines.isEmpty()
          ? ""
          : "; its stderr ends with:\n  " + String.join("\n  ", lines.subList(from, lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills the process, waits for it to end and deletes its log. Idempotent. */
  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temp file; nothing to do
    }
  }
}
