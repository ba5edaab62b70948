package io.tollgate.connector.mock;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.MockOptions;
import io.tollgate.api.ops.EmbeddingsRequest;
import io.tollgate.api.ops.RerankRequest;
import io.tollgate.connector.ExchangeProvider;
import io.tollgate.connector.Provider;
import io.tollgate.connector.ProviderCall;
import io.tollgate.connector.ProviderContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The built-in {@code mock} provider: no network, deterministic text (see {@link MockText}),
 * {@code mock.tokens} chunks {@code mock.chunk_delay_ms} apart, exact usage; deterministic
 * embeddings ({@link MockEmbeddings}), word-overlap rerank ({@link MockRerank}), legacy completions
 * streamed like chat; fails like an
 * upstream 500 with probability {@code mock.failure_rate} so failover can be exercised.
 */
public final class MockProvider implements Provider {

  public static final String NAME = "mock";
  public static final String FAILURE_MESSAGE = "mock upstream failure (simulated 500)";

  private final ProviderContext context;
  private final DoubleSupplier random;

  public MockProvider(ProviderContext context) {
    this(context, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** {@code random} yields values in [0, 1); a call fails when it is below the failure rate. */
  public MockProvider(ProviderContext context, DoubleSupplier random) {
    this.context = context;
    this.random = random;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(ProviderCall call) {
    MockOptions options = call.call().deployment().mock();
    if (options == null) {
      options = MockOptions.DEFAULTS;
    }
    if (options.failureRate() > 0 && random.getAsDouble() < options.failureRate()) {
      call.fail(new GatewayException(ErrorCode.UPSTREAM_ERROR, FAILURE_MESSAGE));
      return;
    }
    switch (call.call().operation()) {
      case CHAT -> new MockStream(context.vertx(), call, options.tokens(), options.chunkDelayMs()).start();
      case EMBEDDINGS -> MockEmbeddings.answer(call, (EmbeddingsRequest) call.call().payload());
      case RERANK -> MockRerank.answer(call, (RerankRequest) call.call().payload());
      case COMPLETIONS -> new MockStream(context.vertx(), call, options.tokens(), options.chunkDelayMs()).start();
      default -> call.fail(ExchangeProvider.unsupported(call, NAME));
    }
  }
}
