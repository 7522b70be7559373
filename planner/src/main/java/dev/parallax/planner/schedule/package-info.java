/**
 * Which ready call runs next: {@link dev.parallax.planner.schedule.CriticalPathScheduling} orders
 * ready calls by their predicted path to the end of the graph, behind core's scheduling seam.
 *
 * <pre>{@code
 * ToolExecutor executor = ToolExecutor.builder()
 *     .scheduling(CriticalPathScheduling.using(adaptivePredictor))
 *     .build();
 * }</pre>
 */
@NullMarked
package dev.parallax.planner.schedule;

import org.jspecify.annotations.NullMarked;
