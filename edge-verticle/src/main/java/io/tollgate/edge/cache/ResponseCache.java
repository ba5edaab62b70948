package io.tollgate.edge.cache;

import io.tollgate.api.GatewayException;
import io.tollgate.api.bus.Attempt;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.config.CacheConfig;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.keys.ApiKey;
import io.tollgate.edge.format.AnswerWriter;
import io.tollgate.edge.format.InboundFormat;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The exact response cache for non-streaming chat, opted in per model or per key ({@code cache:}
 * on either; the key's fields win). Entries are per tenant ({@link CacheKeys}); a lookup is one GET under the options'
 * deadline and a Redis that fails or is slow is a miss; the answer is stored after it completed,
 * fire-and-forget. Only requests whose answer is meant to be repeatable are served or stored:
 * not streamed, one choice ({@code n} at most 1: a client asking for several wants variety), and
 * a temperature within the model's bound (unset counts as the providers' default 1.0).
 */
public final class ResponseCache {

  /** The header on every answer of a model that has the cache: {@value #HIT} or {@value #MISS}. */
  public static final String HEADER = "x-tollgate-cache";
  public static final String HIT = "hit";
  public static final String MISS = "miss";
  static final String NAME = "chat";

  /** No cache: {@link #settings} is always null. */
  public static final ResponseCache NONE = new ResponseCache(null);

  private final RedisCache redis;

  private ResponseCache(RedisCache redis) {
    this.redis = redis;
  }

  /** A cache in {@code redis} (the node's client, shared with admission). */
  public static ResponseCache create(Redis redis, CacheOptions options, CacheMetrics metrics) {
    return new ResponseCache(new RedisCache(redis, options, metrics));
  }

  /**
   * The cache settings of a request for {@code model} with {@code key} (the key's block over the
   * model's), or null when the response cache is off for it. With settings, every answer carries
   * {@link #HEADER}.
   */
  public CacheConfig settings(ModelConfig model, ApiKey key) {
    CacheConfig effective = CacheConfig.overriding(model.cache(), key.cache());
    return redis != null && effective != null && effective.on() ? effective : null;
  }

  /** Whether this request may be answered from, and stored in, the cache under {@code settings}. */
  public boolean eligible(CacheConfig settings, ChatRequest chat) {
    if (settings == null || redis == null || chat.stream() || chat.choices() > 1) {
      return false;
    }
    double temperature = chat.temperature() != null ? chat.temperature() : CacheConfig.PROVIDER_DEFAULT_TEMPERATURE;
    return temperature <= settings.temperatureBound();
  }

  /** The cached answer of this tenant's identical request, or null (a miss, also when Redis failed). */
  public Future<CachedAnswer> lookup(String tenantId, ChatRequest chat) {
    String key = CacheKeys.chat(redis.options().keyPrefix(), tenantId, chat);
    return redis.getAll(NAME, List.of(key)).map(values -> values.get(0) == null ? null
        : CachedAnswer.decode(values.get(0)));
  }

  /** Stores an answer for the settings' TTL; never fails (outcomes are counted). */
  public void store(String tenantId, ChatRequest chat, CacheConfig settings, CachedAnswer answer) {
    String key = CacheKeys.chat(redis.options().keyPrefix(), tenantId, chat);
    redis.putAll(NAME, List.of(key), List.of(answer.encode()), settings.chatTtlSeconds());
  }

  /** The JSON body of a cached answer in {@code format}, with this request's own id. */
  public static Buffer replay(InboundFormat format, String requestId, ChatRequest chat, CachedAnswer answer) {
    AnswerWriter writer = format.answer(requestId, chat);
    answer.events().forEach(writer::add);
    return writer.whole(answer.usage());
  }

  /**
   * {@code format} whose non-streaming answers, once complete, are also handed to {@code done}
   * (a failed or cut-off answer never is: its writer's {@code whole} is not called).
   */
  public static InboundFormat recording(InboundFormat format, Consumer<CachedAnswer> done) {
    return new RecordingFormat(format, done);
  }

  private record RecordingFormat(InboundFormat format, Consumer<CachedAnswer> done) implements InboundFormat {

    @Override
    public ChatRequest parse(Buffer body) {
      return format.parse(body);
    }

    @Override
    public AnswerWriter answer(String requestId, ChatRequest request) {
      return new RecordingWriter(format.answer(requestId, request), done);
    }

    @Override
    public String apiKey(HttpServerRequest request) {
      return format.apiKey(request);
    }

    @Override
    public int status(GatewayException error) {
      return format.status(error);
    }

    @Override
    public Buffer errorBody(GatewayException error, List<Attempt> attempts) {
      return format.errorBody(error, attempts);
    }

    @Override
    public Buffer streamError(GatewayException error) {
      return format.streamError(error);
    }
  }

  private static final class RecordingWriter implements AnswerWriter {
    private final AnswerWriter writer;
    private final Consumer<CachedAnswer> done;
    private final List<List<ChoiceDelta>> events = new ArrayList<>();

    RecordingWriter(AnswerWriter writer, Consumer<CachedAnswer> done) {
      this.writer = writer;
      this.done = done;
    }

    @Override
    public String responseId() {
      return writer.responseId();
    }

    @Override
    public Buffer streamStart() {
      return writer.streamStart();
    }

    @Override
    public Buffer streamEvents(List<List<ChoiceDelta>> batch) {
      return writer.streamEvents(batch);
    }

    @Override
    public Buffer streamEnd(Usage usage) {
      return writer.streamEnd(usage);
    }

    @Override
    public void add(List<ChoiceDelta> event) {
      events.add(event);
      writer.add(event);
    }

    @Override
    public Buffer whole(Usage usage) {
      Buffer body = writer.whole(usage);
      done.accept(new CachedAnswer(CachedAnswer.compact(events), usage));
      return body;
    }
  }
}
