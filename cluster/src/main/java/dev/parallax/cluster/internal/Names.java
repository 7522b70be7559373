package dev.parallax.cluster.internal;

/** The names of the cluster's structures. Internal; may change at any time. */
public final class Names {

  private Names() {}

  /** Permits held, by tool name: a {@link Permits} per tool. */
  public static final String PERMITS = "parallax.permits";

  /** The split-brain protection of {@link #PERMITS}. */
  public static final String PERMITS_PROTECTION = "parallax.permits.split-brain";

  /** Cached results, by cache key. */
  public static final String CACHE = "parallax.cache";

  /** Computations under way, by cache key: the UUID (as text) of the member computing. */
  public static final String IN_FLIGHT = "parallax.cache.inflight";

  /** The executor that runs calls sent by other members. */
  public static final String CALLS = "parallax.calls";

  /** Execution records of every member, for shared learning (a reliable topic). */
  public static final String RECORDS = "parallax.records";

  /** The newest published model, under {@link #MODEL_KEY}. */
  public static final String MODELS = "parallax.models";

  /** The key of the newest model in {@link #MODELS}. */
  public static final String MODEL_KEY = "latest";

  /** The key of the member's tool registry in Hazelcast's user context. */
  public static final String TOOLS = "parallax.tools";
}
