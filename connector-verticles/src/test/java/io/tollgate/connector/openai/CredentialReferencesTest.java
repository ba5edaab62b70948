package io.tollgate.connector.openai;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.codec.Codecs;
import io.tollgate.api.config.ConfigAddresses;
import io.tollgate.api.config.ConfigEvent;
import io.tollgate.api.config.ModelConfig;
import io.tollgate.api.config.SecretReply;
import io.tollgate.api.config.SecretRequest;
import io.tollgate.api.config.Timeouts;
import io.tollgate.connector.ConnectorOptions;
import io.tollgate.connector.ConnectorVerticle;
import io.tollgate.connector.EdgeHarness;
import io.tollgate.connector.FakeUpstream;
import io.tollgate.connector.TestCalls;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.junit5.VertxExtension;

@ExtendWith(VertxExtension.class)
@DisplayName("Credential references resolved on the connector node")
class CredentialReferencesTest {

  static final Timeouts FAST = new Timeouts(1_000, 2_000, 2_000, 10_000);

  private FakeUpstream upstream;
  private EdgeHarness edge;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.registerAll(vertx);
    upstream = FakeUpstream.start(vertx);
    edge = EdgeHarness.start(vertx);
    await(vertx.deployVerticle(new ConnectorVerticle(new ConnectorOptions().setEnvironment(name -> null))));
    upstream.respond(FakeUpstream.json(200, "chat-completion.json"));
  }

  private String authorizationFor(String apiKey) {
    UpstreamCall call = TestCalls.call(TestCalls.openai(upstream.baseUrl(), apiKey, FAST), TestCalls.chat(100, null),
        edge.streamAddress());
    await(edge.call("openai", call));
    await(edge.end(call.requestId()));
    return upstream.received().get(upstream.received().size() - 1).headers().get("Authorization");
  }

  @Test
  @DisplayName("a file: reference sends the file's content, trimmed, not the reference")
  void fileReference(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("openai-key");
    Files.writeString(file, "sk-from-file-42\n");

    assertThat(authorizationFor("file:" + file)).isEqualTo("Bearer sk-from-file-42");
  }

  @Test
  @DisplayName("a missing credential file fails with UPSTREAM_AUTH before calling the upstream")
  void missingFile(@TempDir Path dir) {
    UpstreamCall call = TestCalls.call(TestCalls.openai(upstream.baseUrl(), "file:" + dir.resolve("nope"), FAST),
        TestCalls.chat(100, null), edge.streamAddress());

    ReplyException failure = (ReplyException) awaitFailure(edge.call("openai", call));

    assertThat(failure.failureCode()).isEqualTo(ErrorCode.UPSTREAM_AUTH.wire());
    assertThat(failure.getMessage()).contains("cannot be read on this connector node");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  @DisplayName("a secret: marker is asked from an admin node once, cached, and asked again after a model change")
  void storedSecret(Vertx vertx) {
    AtomicInteger asked = new AtomicInteger();
    AtomicReference<String> current = new AtomicReference<>("sk-stored-1");
    await(vertx.eventBus().<SecretRequest>consumer(ConfigAddresses.SECRET, m -> {
      asked.incrementAndGet();
      m.reply(new SecretReply(m.body().deploymentId(), current.get(), 1));
    }).completion());

    assertThat(authorizationFor("secret:dep-openai")).isEqualTo("Bearer sk-stored-1");
    assertThat(authorizationFor("secret:dep-openai")).isEqualTo("Bearer sk-stored-1");
    assertThat(asked).as("the second call uses the cached secret").hasValue(1);

    current.set("sk-stored-2");
    vertx.eventBus().publish(ConfigAddresses.EVENTS, ConfigEvent.model(2, new ModelConfig("m", null, null,
        List.of(TestCalls.openai(upstream.baseUrl(), "secret:dep-openai", FAST)))));
    // Published before the next call is sent, to the same connector context: it is handled first.
    assertThat(authorizationFor("secret:dep-openai")).isEqualTo("Bearer sk-stored-2");
  }

  @Test
  @DisplayName("a secret: marker no admin node can answer fails with UPSTREAM_AUTH naming the deployment only")
  void storedSecretMissing(Vertx vertx) {
    await(vertx.eventBus().<SecretRequest>consumer(ConfigAddresses.SECRET,
        m -> m.fail(ErrorCode.UPSTREAM_AUTH.wire(), "no stored credential for deployment dep-openai")).completion());
    UpstreamCall call = TestCalls.call(TestCalls.openai(upstream.baseUrl(), "secret:dep-openai", FAST),
        TestCalls.chat(100, null), edge.streamAddress());

    ReplyException failure = (ReplyException) awaitFailure(edge.call("openai", call));

    assertThat(failure.failureCode()).isEqualTo(ErrorCode.UPSTREAM_AUTH.wire());
    assertThat(failure.getMessage()).contains("dep-openai");
    assertThat(upstream.received()).isEmpty();
  }
}
