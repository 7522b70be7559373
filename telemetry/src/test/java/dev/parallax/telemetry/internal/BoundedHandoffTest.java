package dev.parallax.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Waiting producers are woken per batch of free slots, or when the queue runs empty — never left
 * waiting for the stall timeout while the consumer makes progress (issue 12, overhead).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BoundedHandoffTest {

  /** Far beyond the test's timeout: a producer woken only by the stall timeout fails the test. */
  private static final long STALL_NANOS = TimeUnit.MINUTES.toNanos(10);

  @Test
  void producerWaitingOnAFullQueue_isWokenOnceABatchOfSlotsIsFree() throws Exception {
    int capacity = 4 * BoundedHandoff.WAKE_BATCH;
    BoundedHandoff<Integer> handoff = new BoundedHandoff<>(capacity, STALL_NANOS);
    for (int i = 0; i < capacity; i++) {
      assertThat(handoff.offer(i, true)).isEqualTo(BoundedHandoff.Outcome.QUEUED);
    }
    CompletableFuture<BoundedHandoff.Outcome> waiting = offerOnAnotherThread(handoff, capacity);
    awaitWaiting(handoff, waiting);

    for (int i = 0; i < BoundedHandoff.WAKE_BATCH; i++) {
      assertThat(handoff.poll()).isEqualTo(i);
    }

    assertThat(waiting.get()).isEqualTo(BoundedHandoff.Outcome.QUEUED_AFTER_WAIT);
    assertThat(handoff.size()).isEqualTo(capacity - BoundedHandoff.WAKE_BATCH + 1);
  }

  @Test
  void producerWaitingOnAQueueSmallerThanABatch_isWokenWhenTheQueueRunsEmpty() throws Exception {
    int capacity = 3;
    BoundedHandoff<Integer> handoff = new BoundedHandoff<>(capacity, STALL_NANOS);
    for (int i = 0; i < capacity; i++) {
      handoff.offer(i, true);
    }
    CompletableFuture<BoundedHandoff.Outcome> waiting = offerOnAnotherThread(handoff, capacity);
    awaitWaiting(handoff, waiting);

    // take exactly what was queued: the woken producer may queue its item at any moment after the
    // last of them, so polling "until null" would race with it
    for (int taken = 0; taken < capacity; taken++) {
      assertThat(handoff.poll()).isEqualTo(taken);
    }

    assertThat(waiting.get()).isEqualTo(BoundedHandoff.Outcome.QUEUED_AFTER_WAIT);
    assertThat(handoff.poll()).isEqualTo(capacity); // the waiting producer's item, in order
    assertThat(handoff.poll()).isNull();
  }

  private static CompletableFuture<BoundedHandoff.Outcome> offerOnAnotherThread(
      BoundedHandoff<Integer> handoff, int item) {
    CompletableFuture<BoundedHandoff.Outcome> outcome = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> outcome.complete(handoff.offer(item, true)));
    return outcome;
  }

  /** Until the producer is parked waiting for room (it cannot have queued: the queue is full). */
  private static void awaitWaiting(
      BoundedHandoff<Integer> handoff, CompletableFuture<BoundedHandoff.Outcome> waiting) {
    while (!handoff.hasWaitingProducers()) {
      assertThat(waiting).isNotDone();
      Thread.onSpinWait();
    }
  }
}
