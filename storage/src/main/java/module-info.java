/**
 * Parallax storage: execution history stores — the contract, an in-memory store, the embedded
 * on-disk default (Apache Lucene) and a ChromaDB store — and a buffered writer that keeps callers
 * off a slow or unreachable store.
 */
module dev.parallax.storage {
  requires transitive dev.parallax.core;
  requires org.apache.lucene.core;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;
  requires java.logging;

  exports dev.parallax.storage;
  exports dev.parallax.storage.chroma;
  exports dev.parallax.storage.embedded;
  exports dev.parallax.storage.neighbours;
}
