package dev.parallax.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ExecutionRecord#preload()}: added like {@code preloadHit}, defaulting to false. */
@Timeout(10)
class ExecutionRecordPreloadTest {

  private final ExecutionRecord real =
      ExecutionRecord.builder()
          .tool("get_reservation")
          .callId("r")
          .start(Instant.parse("2026-03-01T10:00:00Z"))
          .status(CallStatus.SUCCEEDED)
          .build();

  @Test
  void preload_defaultsToFalse() {
    assertThat(real.preload()).isFalse();
    assertThat(real.toString()).doesNotContain("preload=");
  }

  @Test
  void preload_isKeptByToBuilder_takesPartInEquality_andImpliesNoCacheHit() {
    ExecutionRecord preload = real.toBuilder().callId("preload-1").preload(true).build();

    assertThat(preload.preload()).isTrue();
    assertThat(preload.cacheHit()).isFalse();
    assertThat(preload.preloadHit()).isFalse();
    assertThat(preload.toBuilder().build()).isEqualTo(preload).hasSameHashCodeAs(preload);
    assertThat(preload.toBuilder().callId("r").build()).isNotEqualTo(real);
    assertThat(preload.toBuilder().preload(false).callId("r").build()).isEqualTo(real);
    assertThat(preload.toString()).contains("preload=true");
  }
}
