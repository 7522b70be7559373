package dev.parallax.cluster;

import dev.parallax.core.tool.ToolRegistry;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * Members of one test cluster on loopback: a fresh cluster name (so concurrent test JVMs never join
 * each other), ports from a free one, settings that make joining and failure detection quick.
 */
final class TestMembers implements AutoCloseable {

  final String name = "parallax-test-" + UUID.randomUUID();
  final int port = freePort();
  private final List<ParallaxCluster> started = new ArrayList<>();

  /** The options every member of this test cluster shares. */
  ParallaxClusterBuilder builder(ToolRegistry tools) {
    ParallaxClusterBuilder b =
        ParallaxCluster.builder().clusterName(name).port(port, 10).tools(tools);
    quick(b);
    return b;
  }

  /** Quick join and failure detection, for tests (also used by the crash test's child JVM). */
  static void quick(ParallaxClusterBuilder b) {
    b.property("hazelcast.wait.seconds.before.join", "0")
        .property("hazelcast.max.wait.seconds.before.join", "0")
        .property("hazelcast.heartbeat.interval.seconds", "1")
        .property("hazelcast.max.no.heartbeat.seconds", "6")
        .property("hazelcast.partition.count", "23")
        .property("hazelcast.graceful.shutdown.max.wait", "20")
        .callThreads(32);
  }

  ParallaxCluster start(ToolRegistry tools) {
    return start(tools, UnaryOperator.identity());
  }

  ParallaxCluster start(ToolRegistry tools, UnaryOperator<ParallaxClusterBuilder> options) {
    ParallaxCluster member = options.apply(builder(tools)).start();
    started.add(member);
    return member;
  }

  /**
   * Waits until every partition has its backup (a member that dies right after another joined could
   * otherwise take the only copy of some entries with it). Polls Hazelcast's safety check; the
   * test's timeout bounds it.
   */
  static void awaitSafe(ParallaxCluster member) {
    while (!member.hazelcast().getPartitionService().isClusterSafe()) {
      if (Thread.interrupted()) { // the test's timeout: fail instead of polling on
        throw new AssertionError("interrupted while waiting");
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  /**
   * Starts {@code main} in a child JVM (same java, class path and quick settings' logging) that
   * joins this cluster; its standard error goes to {@code target/<errorFile>}.
   */
  Process startChildJvm(Class<?> main, String errorFile) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        List.of(
            java,
            "-Xmx256m",
            "-Dhazelcast.phone.home.enabled=false",
            "-Dhazelcast.logging.type=jdk",
            "-Djava.util.logging.config.file="
                + new File("src/test/resources/logging.properties").getAbsolutePath(),
            "-cp",
            System.getProperty("java.class.path"),
            main.getName(),
            name,
            Integer.toString(port));
    return new ProcessBuilder(command).redirectError(new File("target/" + errorFile)).start();
  }

  @Override
  public void close() {
    for (ParallaxCluster member : started) {
      try {
        member.hazelcast().getLifecycleService().terminate();
      } catch (RuntimeException e) {
        // already gone
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      // the ephemeral range is high; keep room for the 10 ports after it
      return Math.min(s.getLocalPort(), 65000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
