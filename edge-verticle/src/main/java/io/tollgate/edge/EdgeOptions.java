package io.tollgate.edge;

import io.tollgate.api.keys.IpAllowList;
import java.util.List;

/**
 * Edge settings, read once at start.
 *
 * @param maxBodyBytes         request bodies above this are refused with 413
 * @param idleMarginMs         added to the longest upstream idle timeout of a model to get how long
 *                             the edge waits for the next chunk before it gives a request up (a
 *                             connector node that died mid-stream must not leave the client hanging)
 * @param routeMarginMs        added to a model's route budget ({@code ModelConfig.routeBudgetMs()},
 *                             which the router keeps to) to get how long the edge waits for the
 *                             router's answer: the hops there and back
 * @param idleTimeoutMs        a connection with no request in progress (just opened, or kept alive
 *                             after a response) is closed after this long; this also bounds a client
 *                             that trickles its request headers, since a request only counts once
 *                             its headers are complete
 * @param requestReadTimeoutMs once a request's headers are in, its whole body must arrive within
 *                             this, else the connection is dropped (a slow-body client); the
 *                             response, however long it streams, is not limited by it
 * @param maxConnections       open connections per edge verticle instance; more are closed at once
 * @param trustedProxies       addresses and CIDR blocks of reverse proxies whose forwarding header
 *                             is believed; empty: the socket peer is the client
 * @param forwardedHeader      which header those proxies set
 * @param consoleOrigins       browser origins (scheme://host:port) of the admin web console, whose
 *                             playground may call {@code /v1/*} cross-origin ({@link ConsoleCors});
 *                             empty: no CORS headers at all
 */
public record EdgeOptions(String host, int port, int maxBodyBytes, long idleMarginMs, long routeMarginMs,
                          long idleTimeoutMs, long requestReadTimeoutMs, int maxConnections,
                          List<String> trustedProxies, ForwardedHeader forwardedHeader, List<String> consoleOrigins) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
  public static final long DEFAULT_IDLE_MARGIN_MS = 5_000;
  public static final long DEFAULT_ROUTE_MARGIN_MS = 2_000;
  /** Longer than common client pools keep idle connections (5 to 60 s), as nginx's 75 s is. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  /** A 4 MiB body (the default cap) arrives in about 17 s at 2 Mbit/s. */
  public static final long DEFAULT_REQUEST_READ_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final ForwardedHeader DEFAULT_FORWARDED_HEADER = ForwardedHeader.X_FORWARDED_FOR;

  /** The forwarding header a deployment's proxies write; only one is believed, never both. */
  public enum ForwardedHeader {
    X_FORWARDED_FOR("x-forwarded-for"),
    /** RFC 7239. */
    FORWARDED("forwarded");

    private final String headerName;

    ForwardedHeader(String headerName) {
      this.headerName = headerName;
    }

    public String headerName() {
      return headerName;
    }

    /** By header name, case-insensitive; IllegalArgumentException for anything else. */
    public static ForwardedHeader of(String name) {
      for (ForwardedHeader h : values()) {
        if (h.headerName.equalsIgnoreCase(name.trim())) {
          return h;
        }
      }
      throw new IllegalArgumentException("forwarded header must be x-forwarded-for or forwarded, got '" + name + "'");
    }
  }

  public EdgeOptions {
    if (idleTimeoutMs < 1 || requestReadTimeoutMs < 1 || maxConnections < 1) {
      throw new IllegalArgumentException("idle and request-read timeouts and max connections must be positive");
    }
    trustedProxies = List.copyOf(trustedProxies);
    for (String p : trustedProxies) {
      if (!IpAllowList.valid(p)) {
        throw new IllegalArgumentException("trusted proxy '" + p + "' is not an IP address or CIDR block");
      }
    }
    if (forwardedHeader == null) {
      forwardedHeader = DEFAULT_FORWARDED_HEADER;
    }
    consoleOrigins = consoleOrigins == null ? List.of() : List.copyOf(consoleOrigins);
  }

  /** Without console origins (the signature before the web console). */
  public EdgeOptions(String host, int port, int maxBodyBytes, long idleMarginMs, long routeMarginMs,
                     long idleTimeoutMs, long requestReadTimeoutMs, int maxConnections,
                     List<String> trustedProxies, ForwardedHeader forwardedHeader) {
    this(host, port, maxBodyBytes, idleMarginMs, routeMarginMs, idleTimeoutMs, requestReadTimeoutMs, maxConnections,
        trustedProxies, forwardedHeader, List.of());
  }

  public static EdgeOptions defaults() {
    return new EdgeOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_IDLE_MARGIN_MS,
        DEFAULT_ROUTE_MARGIN_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_REQUEST_READ_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS,
        List.of(), DEFAULT_FORWARDED_HEADER);
  }

  public EdgeOptions withHost(String newHost) {
    return new EdgeOptions(newHost, port, maxBodyBytes, idleMarginMs, routeMarginMs, idleTimeoutMs,
        requestReadTimeoutMs, maxConnections, trustedProxies, forwardedHeader, consoleOrigins);
  }

  public EdgeOptions withPort(int newPort) {
    return new EdgeOptions(host, newPort, maxBodyBytes, idleMarginMs, routeMarginMs, idleTimeoutMs,
        requestReadTimeoutMs, maxConnections, trustedProxies, forwardedHeader, consoleOrigins);
  }

  public EdgeOptions withMaxBodyBytes(int bytes) {
    return new EdgeOptions(host, port, bytes, idleMarginMs, routeMarginMs, idleTimeoutMs,
        requestReadTimeoutMs, maxConnections, trustedProxies, forwardedHeader, consoleOrigins);
  }

  public EdgeOptions withConnections(long idleMs, long requestReadMs, int max) {
    return new EdgeOptions(host, port, maxBodyBytes, idleMarginMs, routeMarginMs, idleMs, requestReadMs, max,
        trustedProxies, forwardedHeader, consoleOrigins);
  }

  public EdgeOptions withTrustedProxies(List<String> proxies, ForwardedHeader header) {
    return new EdgeOptions(host, port, maxBodyBytes, idleMarginMs, routeMarginMs, idleTimeoutMs,
        requestReadTimeoutMs, maxConnections, proxies, header, consoleOrigins);
  }

  public EdgeOptions withConsoleOrigins(List<String> origins) {
    return new EdgeOptions(host, port, maxBodyBytes, idleMarginMs, routeMarginMs, idleTimeoutMs,
        requestReadTimeoutMs, maxConnections, trustedProxies, forwardedHeader, origins);
  }
}
