package dev.parallax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.CallFeatures;
import dev.parallax.cluster.learning.SharedLearning;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.tool.ToolRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shared learning with 3 members: records made on B and C reach the trainer (the oldest member, A);
 * after a training A, B and C all use the same model version and predict alike; when A leaves, the
 * next oldest member trains and every survivor loads its version.
 */
class SharedLearningTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void recordsOfAllMembersReachTheTrainer_allLoadTheSameVersion_trainerLeavingHandsOver() {
    int every = 300;
    List<SharedLearning> learnings = new ArrayList<>();
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster a = cluster.start(ToolRegistry.of());
      ParallaxCluster b = cluster.start(ToolRegistry.of());
      ParallaxCluster c = cluster.start(ToolRegistry.of());
      TestMembers.awaitSafe(a);
      SharedLearning la = SharedLearning.start(a, predictor(), every);
      SharedLearning lb = SharedLearning.start(b, predictor(), every);
      SharedLearning lc = SharedLearning.start(c, predictor(), every);
      learnings.addAll(List.of(la, lb, lc));
      assertThat(la.isTrainer()).isTrue();
      assertThat(lb.isTrainer()).isFalse();
      assertThat(lc.isTrainer()).isFalse();

      // records are made on B and C only
      for (int i = 0; i < every; i++) {
        (i % 2 == 0 ? lb : lc).accept(record(i));
      }
      await(() -> la.modelVersion() == 1 && lb.modelVersion() == 1 && lc.modelVersion() == 1);
      assertThat(la.recordsReceivedFrom(b.memberId())).isEqualTo(every / 2);
      assertThat(la.recordsReceivedFrom(c.memberId())).isEqualTo(every / 2);
      assertThat(la.recordsReceivedFrom(a.memberId())).isZero();
      assertThat(la.modelsPublished()).isEqualTo(1);
      assertThat(lb.modelsPublished() + lc.modelsPublished()).isZero();
      for (SharedLearning l : learnings) {
        assertThat(l.modelTrainer()).isEqualTo(a.memberId().toString());
        assertThat(l.recordsReceived()).isEqualTo(every);
      }
      CallFeatures probe = new CallFeatures("search", Map.of("size", 7.0), 1, 1);
      Prediction pa = la.predictor().predict(probe);
      assertThat(lb.predictor().predict(probe)).isEqualTo(pa);
      assertThat(lc.predictor().predict(probe)).isEqualTo(pa);
      assertThat(la.predictor().report()).isEqualTo(lb.predictor().report());

      // the trainer leaves: B is now the oldest member and trains the next version
      la.close();
      learnings.remove(la);
      a.close();
      await(() -> b.memberCount() == 2 && c.memberCount() == 2);
      assertThat(lb.isTrainer()).isTrue();
      for (int i = every; i < 2 * every; i++) {
        lc.accept(record(i));
      }
      await(() -> lb.modelVersion() == 2 && lc.modelVersion() == 2);
      assertThat(lb.modelTrainer()).isEqualTo(b.memberId().toString());
      assertThat(lc.modelTrainer()).isEqualTo(b.memberId().toString());
      assertThat(lb.modelsPublished()).isEqualTo(1);
      assertThat(lc.predictor().predict(probe)).isEqualTo(lb.predictor().predict(probe));
      for (SharedLearning l : learnings) {
        assertThat(l.failures()).isZero();
      }
    } finally {
      learnings.forEach(SharedLearning::close);
    }
  }

  private static AdaptivePredictor.Builder predictor() {
    return AdaptivePredictor.builder().minTrainingRows(50).seed(7);
  }

  /** A search whose latency grows with its size argument. */
  private static ExecutionRecord record(int seq) {
    double size = 1 + seq % 20;
    return ExecutionRecord.builder()
        .tool("search")
        .callId("c" + seq)
        .runId("run")
        .start(T0.plusMillis(seq * 10L))
        .duration(Duration.ofMillis(Math.round(10 * size + seq % 3)))
        .status(CallStatus.SUCCEEDED)
        .attempts(1)
        .inFlight(1)
        .features(Map.of("size", size))
        .build();
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
