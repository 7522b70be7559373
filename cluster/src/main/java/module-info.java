/**
 * Parallax on a Hazelcast cluster: cluster-wide per-tool admission with leases, a shared result
 * cache with single flight across members, and a call runner that runs calls on other members.
 */
module dev.parallax.cluster {
  requires transitive dev.parallax.core;
  requires transitive com.hazelcast.core;
  requires java.logging;
  // optional: only dev.parallax.cluster.learning uses it (its API names AdaptivePredictor)
  requires static transitive dev.parallax.adaptive;

  exports dev.parallax.cluster;
  exports dev.parallax.cluster.learning;
}
