/**
 * Sharing one executor between many runs: {@link dev.parallax.planner.share.SharedScheduler} gives
 * its capacity by run priority (fair among equals, with aging), holds named resources across runs
 * all-or-nothing, and keeps lanes of tools with reserved and maximum concurrency — behind core's
 * {@link dev.parallax.core.spi.RunScheduler} seam.
 *
 * <pre>{@code
 * SharedScheduler shared = SharedScheduler.builder()
 *     .capacity(16)
 *     .resource("db", 2)
 *     .lane("query", 4, LaneLimit.fixed(12))
 *     .toolLane("search", "query")
 *     .build();
 * ToolExecutor executor = ToolExecutor.builder().runScheduler(shared).build();
 * executor.execute(ExecutionPlan.parallel(calls).withPriority(10));
 * }</pre>
 */
@NullMarked
package dev.parallax.planner.share;

import org.jspecify.annotations.NullMarked;
