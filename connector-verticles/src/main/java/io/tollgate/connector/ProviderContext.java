package io.tollgate.connector;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/**
 * What a provider may use: the verticle's Vert.x, its HTTP clients, its options, and the node's
 * credential resolver.
 *
 * @param http the plain-HTTP client (HTTP/1.1 keep-alive pool)
 * @param tls  the HTTPS client: offers HTTP/2 in ALPN (unless {@code http2} is off) and falls back
 *             to HTTP/1.1 when the upstream does not take it. Two clients because a plain-HTTP
 *             upstream cannot say whether it speaks h2c without an upgrade dance that some servers
 *             get wrong on POSTs; vLLM, Ollama and the rest speak HTTP/1.1 there.
 * @param egress the instance's remembered egress verdicts (confined to its context, like the rest)
 */
public record ProviderContext(Vertx vertx, HttpClient http, HttpClient tls, ConnectorOptions options,
                              Credentials credentials, EgressVerdicts egress) {

  public ProviderContext(Vertx vertx, HttpClient http, HttpClient tls, ConnectorOptions options,
                         Credentials credentials) {
    this(vertx, http, tls, options, credentials, new EgressVerdicts(options.getEgress()));
  }

  public ProviderContext(Vertx vertx, HttpClient http, ConnectorOptions options, Credentials credentials) {
    this(vertx, http, http, options, credentials);
  }

  /** The client for this request: HTTPS goes to {@link #tls}. */
  public HttpClient client(RequestOptions request) {
    return Boolean.TRUE.equals(request.isSsl()) ? tls : http;
  }
}
