/**
 * Parallax core: the tool SPI, calls, results, policies, the executor and the seams that smarter
 * modules plug into.
 */
module dev.parallax.core {
  requires transitive io.opentelemetry.api;
  requires transitive io.opentelemetry.context;
  requires transitive com.fasterxml.jackson.databind;
  requires static transitive org.jspecify;
  requires com.google.common;
  requires java.logging;

  exports dev.parallax.core.call;
  exports dev.parallax.core.event;
  exports dev.parallax.core.exec;
  exports dev.parallax.core.policy;
  exports dev.parallax.core.record;
  exports dev.parallax.core.spi;
  exports dev.parallax.core.time;
  exports dev.parallax.core.tool;
  exports dev.parallax.core.trace;
}
