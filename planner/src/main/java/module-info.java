/**
 * Parallax planner: critical-path scheduling, the Caffeine result cache, fallback tool swaps and
 * the virtual-time simulator. Depends on core only (plus Caffeine and Resilience4j); predictions
 * come through core's {@code Predictor} seam.
 */
module dev.parallax.planner {
  requires transitive dev.parallax.core;
  requires transitive com.github.benmanes.caffeine;
  requires transitive io.github.resilience4j.circuitbreaker;
  requires transitive io.github.resilience4j.core;
  requires java.logging;

  exports dev.parallax.planner.cache;
  exports dev.parallax.planner.fallback;
  exports dev.parallax.planner.graph;
  exports dev.parallax.planner.preload;
  exports dev.parallax.planner.schedule;
  exports dev.parallax.planner.share;
  exports dev.parallax.planner.sim;
}
