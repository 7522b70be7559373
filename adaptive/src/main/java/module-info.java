/**
 * Parallax adaptive: Tribuo latency and success models, per-tool moving-average baselines,
 * background retraining with atomic model swap, model files and the adaptive concurrency limiter.
 */
module dev.parallax.adaptive {
  requires transitive dev.parallax.core;
  requires org.tribuo.core;
  requires org.tribuo.math;
  requires org.tribuo.common.sgd;
  requires org.tribuo.regression.core;
  requires org.tribuo.regression.sgd;
  requires org.tribuo.regression.rtree;
  requires org.tribuo.common.tree;
  requires org.tribuo.classification.core;
  requires org.tribuo.classification.sgd;
  requires com.oracle.labs.mlrg.olcut;
  requires java.logging;
  requires com.github.benmanes.caffeine;
  // optional: only dev.parallax.adaptive.limit.netflix uses it
  requires static concurrency.limits.core;

  exports dev.parallax.adaptive;
  exports dev.parallax.adaptive.limit;
  exports dev.parallax.adaptive.limit.netflix;
}
