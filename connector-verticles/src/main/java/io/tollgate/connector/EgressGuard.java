package io.tollgate.connector;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.tollgate.api.config.EgressPolicy;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;

/**
 * The connector's side of the egress policy. Before connecting, a deployment's base_url is judged
 * as written (scheme, allow-list, IP literals; no DNS lookup on the event loop). After the HTTP
 * client resolved the name and connected, and before the request (and its credential) is sent, the
 * connected address is judged by the same ranges: a name that resolves to a metadata address
 * (DNS rebinding, a hosts-file entry) is caught there. Refusals are UPSTREAM_UNREACHABLE: this
 * deployment cannot be used from here, another may.
 */
public final class EgressGuard {

  private EgressGuard() {
  }

  /** Why the deployment's base_url is refused, or null. */
  public static String beforeConnect(EgressPolicy policy, String baseUrl) {
    return policy.check(baseUrl);
  }

  /** The scheme, host and port a request will connect to, as a URL the policy can judge. */
  public static String origin(RequestOptions options) {
    String host = options.getHost();
    if (host != null && host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    boolean tls = Boolean.TRUE.equals(options.isSsl());
    return (tls ? "https" : "http") + "://" + host + (options.getPort() == null ? "" : ":" + options.getPort()) + "/";
  }

  /** Why the connection the request got is refused, or null (also when the peer is not an IP). */
  public static String afterConnect(EgressPolicy policy, HttpClientRequest request) {
    SocketAddress remote = request.connection() == null ? null : request.connection().remoteAddress();
    String ip = remote == null ? null : remote.hostAddress();
    InetAddress address = ip == null || ip.isEmpty() ? null : EgressPolicy.literal(ip);
    return address == null ? null : policy.checkAddress(address);
  }

  /** As {@link #afterConnect(EgressPolicy, HttpClientRequest)}, from a connector instance's remembered verdicts. */
  static String afterConnect(EgressVerdicts verdicts, HttpClientRequest request) {
    SocketAddress remote = request.connection() == null ? null : request.connection().remoteAddress();
    return verdicts.addressRefusal(remote == null ? null : remote.hostAddress());
  }

  /** The failure a client may see: it names the deployment, never the address. */
  public static GatewayException refused(String deploymentId) {
    return new GatewayException(ErrorCode.UPSTREAM_UNREACHABLE,
        "deployment " + deploymentId + " is refused by the connector's egress policy");
  }
}
