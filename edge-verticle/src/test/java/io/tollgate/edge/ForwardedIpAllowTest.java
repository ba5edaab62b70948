package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.edge.EdgeOptions.ForwardedHeader;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("ip_allow through the edge sees the client named by a trusted proxy")
class ForwardedIpAllowTest {

  private static String models(int port, String forwardedFor) {
    try (RawClient client = new RawClient(port)) {
      return client.send("GET /v1/models HTTP/1.1\r\nHost: edge\r\nAuthorization: Bearer " + TestEdge.OFFICE_SECRET
          + "\r\nX-Forwarded-For: " + forwardedFor + "\r\nConnection: close\r\n\r\n").readResponse(3_000);
    }
  }

  @Test
  @DisplayName("behind a trusted proxy on loopback: the forwarded client is checked, not the proxy")
  void trustedProxy(Vertx vertx) {
    EdgeVerticle edge = TestEdge.start(vertx, EdgeOptions.defaults()
        .withTrustedProxies(List.of("127.0.0.1/32"), ForwardedHeader.X_FORWARDED_FOR));

    assertThat(models(edge.actualPort(), "203.0.113.7")).startsWith("HTTP/1.1 200");
    assertThat(models(edge.actualPort(), "203.0.113.7, 127.0.0.1")).startsWith("HTTP/1.1 200");
    assertThat(models(edge.actualPort(), "198.51.100.1")).startsWith("HTTP/1.1 403").contains("ip_not_allowed");
    assertThat(models(edge.actualPort(), "203.0.113.7, 198.51.100.1")).as("the client cannot prepend itself")
        .startsWith("HTTP/1.1 403");
  }

  @Test
  @DisplayName("without trusted proxies, the same header is ignored and the loopback peer is refused")
  void noTrustedProxy(Vertx vertx) {
    EdgeVerticle edge = TestEdge.start(vertx, EdgeOptions.defaults());

    assertThat(models(edge.actualPort(), "203.0.113.7")).startsWith("HTTP/1.1 403").contains("127.0.0.1");
  }
}
