package dev.parallax.analysis.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One task of a WfFormat instance, as read, before it becomes a simulated call.
 *
 * @param id the task's id (what dependencies name)
 * @param tool the program it ran (its "tool")
 * @param runtimeSeconds its recorded runtime
 * @param features its numeric features by name
 * @param parents ids of the tasks it waits for
 * @param children ids of the tasks that wait for it
 * @param executedAt when it started, if the instance says and the timestamp could be read
 */
record WfTask(
    String id,
    String tool,
    double runtimeSeconds,
    Map<String, Double> features,
    List<String> parents,
    List<String> children,
    @Nullable Instant executedAt) {}
