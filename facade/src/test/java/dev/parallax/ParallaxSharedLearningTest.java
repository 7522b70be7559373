package dev.parallax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.adaptive.CallFeatures;
import dev.parallax.cluster.ParallaxCluster;
import dev.parallax.cluster.learning.SharedLearning;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The facade's {@code cluster(...)} wires shared learning itself: three members in one JVM, each
 * with its own {@code Parallax}; calls made on two of them train one model on the oldest, which
 * every member loads and predicts with. {@code sharedLearning(false)} keeps a member's learning to
 * itself.
 */
class ParallaxSharedLearningTest {

  private static final int EVERY = 60;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void cluster_withLearning_wiresSharedLearning_oneModelForTheFleet_andCanBeTurnedOff()
      throws Exception {
    Tool<Integer, Integer> echo =
        Tools.named("echo").idempotent(true).input(Integer.class).function((n, ctx) -> n);
    ToolRegistry tools = ToolRegistry.of(echo);
    String name = "facade-learning-" + UUID.randomUUID();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = Math.min(free.getLocalPort(), 65000);
    }
    List<AutoCloseable> open = new ArrayList<>();
    try {
      List<ParallaxCluster> members = new ArrayList<>();
      List<Parallax> facades = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ParallaxCluster member =
            ParallaxCluster.builder()
                .clusterName(name)
                .port(port, 5)
                .property("hazelcast.wait.seconds.before.join", "0")
                .property("hazelcast.max.wait.seconds.before.join", "0")
                .property("hazelcast.partition.count", "23")
                .tools(tools)
                .start();
        open.add(0, member);
        members.add(member);
      }
      await(() -> members.get(0).memberCount() == 3);
      for (ParallaxCluster member : members) {
        Parallax p =
            Parallax.builder()
                .cluster(member)
                .warmStart(false)
                .sharedRetrainEvery(EVERY)
                .predictorOptions(o -> o.minTrainingRows(20).seed(7))
                .build();
        open.add(0, p);
        facades.add(p);
      }
      List<SharedLearning> learnings = new ArrayList<>();
      for (Parallax p : facades) {
        assertThat(p.sharedLearning()).isPresent();
        assertThat(p.predictor()).isSameAs(p.sharedLearning().orElseThrow().predictor());
        learnings.add(p.sharedLearning().orElseThrow());
      }
      assertThat(learnings.get(0).isTrainer()).isTrue(); // the oldest member

      // calls are made on the second and third members only
      for (int m = 1; m <= 2; m++) {
        List<ToolCall<?, ?>> calls = new ArrayList<>();
        for (int i = 0; i < EVERY; i++) {
          calls.add(ToolCall.of("m" + m + "-" + i, echo, i));
        }
        RunResult run = facades.get(m).executor().executeParallel(calls);
        for (ToolCall<?, ?> c : calls) {
          assertThat(run.get(c.id()).status()).isEqualTo(CallStatus.SUCCEEDED);
        }
      }
      await(() -> learnings.stream().allMatch(l -> l.modelVersion() >= 1));
      await(
          () ->
              learnings.stream().map(SharedLearning::modelVersion).distinct().count() == 1
                  && learnings.stream().allMatch(l -> l.recordsReceived() == 2L * EVERY));
      String trainer = members.get(0).memberId().toString();
      for (SharedLearning l : learnings) {
        assertThat(l.modelTrainer()).isEqualTo(trainer);
        assertThat(l.recordsReceivedFrom(members.get(0).memberId())).isZero();
        assertThat(l.recordsReceivedFrom(members.get(1).memberId())).isEqualTo(EVERY);
        assertThat(l.recordsReceivedFrom(members.get(2).memberId())).isEqualTo(EVERY);
        assertThat(l.failures()).isZero();
      }
      assertThat(learnings.get(0).modelsPublished()).isPositive();
      assertThat(learnings.get(1).modelsPublished() + learnings.get(2).modelsPublished()).isZero();
      CallFeatures probe = new CallFeatures("echo", Map.of(), 1, 1);
      assertThat(facades.get(1).predictor().predict(probe))
          .isEqualTo(facades.get(0).predictor().predict(probe));
      assertThat(facades.get(2).predictor().predict(probe))
          .isEqualTo(facades.get(0).predictor().predict(probe));

      // opt-out: this member's predictor learns from its own calls only
      try (Parallax alone =
          Parallax.builder()
              .cluster(members.get(1))
              .warmStart(false)
              .sharedLearning(false)
              .build()) {
        assertThat(alone.sharedLearning()).isEmpty();
        for (SharedLearning l : learnings) {
          assertThat(alone.predictor()).isNotSameAs(l.predictor());
        }
      }
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
    }
  }

  /** Polls a condition that other members' events make true; the test's timeout bounds it. */
  private static void await(BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      if (Thread.interrupted()) { // the test's timeout: fail instead of polling on
        throw new AssertionError("interrupted while waiting");
      }
      LockSupport.parkNanos(10_000_000);
    }
  }
}
