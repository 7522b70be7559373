package dev.parallax.planner.sim;

import dev.parallax.core.call.CallStatus;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where one call landed in a simulated schedule, relative to the start of its run.
 *
 * @param id the call's id
 * @param tool the tool that answered
 * @param start when its first attempt started, or {@code null} if it never started
 * @param end when its result became final
 * @param status how it ended
 */
public record ScheduledCall(
    String id, String tool, @Nullable Duration start, Duration end, CallStatus status) {}
