/**
 * Parallax facade: {@code Parallax.builder()} wires every module — telemetry, history, models and
 * the planner — into one executor. The one dependency for users who want everything; each
 * capability stays usable on its own through its module.
 */
module dev.parallax {
  requires transitive dev.parallax.core;
  requires transitive dev.parallax.telemetry;
  requires transitive dev.parallax.storage;
  requires transitive dev.parallax.adaptive;
  requires transitive dev.parallax.planner;
  requires java.logging;
  // optional: only ParallaxBuilder.cluster(...) uses it
  requires static transitive dev.parallax.cluster;

  exports dev.parallax;
}
