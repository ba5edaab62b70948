package io.tollgate.edge.cache;

/**
 * A node's caches, shared by its edge instances: the chat response cache and the embedding cache,
 * both in the node's Redis (the client admission uses).
 */
public record EdgeCaches(ResponseCache responses, EmbeddingCache embeddings) {

  /** No caching (edges built without Redis: tests, tools). */
  public static final EdgeCaches NONE = new EdgeCaches(ResponseCache.NONE, EmbeddingCache.NONE);

  public EdgeCaches {
    responses = responses == null ? ResponseCache.NONE : responses;
    embeddings = embeddings == null ? EmbeddingCache.NONE : embeddings;
  }

  /** Both caches in {@code redis}. */
  public static EdgeCaches create(io.vertx.redis.client.Redis redis, CacheOptions options, CacheMetrics metrics) {
    return new EdgeCaches(ResponseCache.create(redis, options, metrics), EmbeddingCache.create(redis, options, metrics));
  }
}
