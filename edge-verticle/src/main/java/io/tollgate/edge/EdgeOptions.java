package io.tollgate.edge;

/**
 * Edge settings, read once at start.
 *
 * @param maxBodyBytes  request bodies above this are refused with 413
 * @param idleMarginMs  added to the longest upstream idle timeout of a model to get how long the
 *                      edge waits for the next chunk before it gives a request up (a connector node
 *                      that died mid-stream must not leave the client hanging)
 * @param routeMarginMs added to a model's route budget ({@code ModelConfig.routeBudgetMs()}, which
 *                      the router keeps to) to get how long the edge waits for the router's answer:
 *                      the hops there and back
 */
public record EdgeOptions(String host, int port, int maxBodyBytes, long idleMarginMs, long routeMarginMs) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
  public static final long DEFAULT_IDLE_MARGIN_MS = 5_000;
  public static final long DEFAULT_ROUTE_MARGIN_MS = 2_000;

  public static EdgeOptions defaults() {
    return new EdgeOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_IDLE_MARGIN_MS,
        DEFAULT_ROUTE_MARGIN_MS);
  }

  public EdgeOptions withPort(int newPort) {
    return new EdgeOptions(host, newPort, maxBodyBytes, idleMarginMs, routeMarginMs);
  }

  public EdgeOptions withMaxBodyBytes(int bytes) {
    return new EdgeOptions(host, port, bytes, idleMarginMs, routeMarginMs);
  }
}
