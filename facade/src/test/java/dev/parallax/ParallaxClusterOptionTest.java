package dev.parallax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.parallax.cluster.ParallaxCluster;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ParallaxClusterOptionTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void cluster_wiresItsAdmissionCacheAndRunner_intoTheFacade() throws Exception {
    Tool<Integer, Integer> square =
        Tools.named("square")
            .idempotent(true)
            .cacheable(true)
            .input(Integer.class)
            .function((n, ctx) -> n * n);
    ToolRegistry tools = ToolRegistry.of(square);
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = Math.min(free.getLocalPort(), 65000);
    }
    try (ParallaxCluster cluster =
        ParallaxCluster.builder()
            .clusterName("facade-" + UUID.randomUUID())
            .port(port, 5)
            .property("hazelcast.wait.seconds.before.join", "0")
            .property("hazelcast.partition.count", "23")
            .tools(tools)
            .toolLimit("square", 2)
            .start()) {
      try (Parallax parallax = Parallax.builder().cluster(cluster).warmStart(false).build()) {
        RunResult run =
            parallax
                .executor()
                .executeParallel(List.of(ToolCall.of("a", square, 7), ToolCall.of("b", square, 8)));
        assertThat(run.get("a").value()).isEqualTo(49);
        assertThat(run.get("b").value()).isEqualTo(64);
        assertThat(cluster.runnerCounters().get("sent")).isEqualTo(2);
        assertThat(cluster.permitsHeld("square")).isZero();
      }
      assertThatIllegalStateException()
          .isThrownBy(
              () -> Parallax.builder().cluster(cluster).resultCache(ResultCache.NONE).build())
          .withMessageContaining("cluster(...)");
    }
  }
}
