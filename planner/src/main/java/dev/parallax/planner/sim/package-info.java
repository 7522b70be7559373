/**
 * A discrete-event simulator that runs the real executor — scheduling, admission, retries,
 * fallbacks — against calls of known duration and outcome in virtual time, to compare policies on
 * thousands of graphs in seconds. {@link dev.parallax.planner.sim.Simulator} runs a {@link
 * dev.parallax.planner.sim.Workload}; {@link dev.parallax.planner.sim.HeterogeneousGraphs} makes
 * random ones; {@link dev.parallax.planner.sim.Simulator#oracle()} is the predictor that knows the
 * truth.
 */
@NullMarked
package dev.parallax.planner.sim;

import org.jspecify.annotations.NullMarked;
