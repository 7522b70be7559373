package dev.parallax.storage;

/** The contract, run against {@link InMemoryHistoryStore}. */
class InMemoryHistoryStoreTest extends HistoryStoreContract {

  @Override
  protected ExecutionHistoryStore openStore(FeatureVectorizer vectorizer) {
    return new InMemoryHistoryStore(vectorizer);
  }
}
