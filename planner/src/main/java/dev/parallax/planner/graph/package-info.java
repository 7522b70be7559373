/**
 * Dependency graphs of calls and their critical path — the one implementation used by critical-path
 * scheduling, the virtual-time simulator's figures and trace analysis.
 *
 * <pre>{@code
 * DependencyGraph graph = DependencyGraph.of(calls, SimulatedCall::id, SimulatedCall::dependsOn);
 * CriticalPath path = CriticalPath.of(graph, i -> calls.get(i).duration());
 * path.length();   // no schedule finishes sooner, whatever the number of slots
 * path.indices();  // the calls on it, first to last
 * }</pre>
 */
@NullMarked
package dev.parallax.planner.graph;

import org.jspecify.annotations.NullMarked;
