package io.tollgate.connector;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * What a provider may use: the verticle's Vert.x, its one shared HTTP client, its options, and the
 * node's credential resolver.
 */
public record ProviderContext(Vertx vertx, HttpClient http, ConnectorOptions options, Credentials credentials) {
}
