/**
 * Parallax planner: the {@code Parallax} facade that wires every module, critical-path scheduling,
 * the Caffeine result cache, fallback tool swaps and the virtual-time simulator.
 */
module dev.parallax.planner {
  requires transitive dev.parallax.core;
  requires transitive dev.parallax.adaptive;
  // only for the Parallax facade, until it moves to a module of its own
  requires transitive dev.parallax.telemetry;
  requires transitive dev.parallax.storage;
  requires transitive com.github.benmanes.caffeine;
  requires transitive io.github.resilience4j.circuitbreaker;
  requires transitive io.github.resilience4j.core;
  requires java.logging;

  exports dev.parallax.planner;
  exports dev.parallax.planner.cache;
  exports dev.parallax.planner.fallback;
  exports dev.parallax.planner.schedule;
  exports dev.parallax.planner.sim;
}
