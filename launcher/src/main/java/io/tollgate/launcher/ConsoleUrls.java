package io.tollgate.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Where the web console (served by the admin role under {@code /console/}) finds the gateway API,
 * and which browser origins the edge lets call it cross-origin.
 *
 * <pre>
 * TOLLGATE_PUBLIC_URL       the gateway API's URL as browsers reach it (default: this JVM's edge,
 *                           http://BIND_HOST:HTTP_PORT, when it binds a concrete address)
 * TOLLGATE_CONSOLE_ORIGINS  comma-separated origins of consoles whose playground may call this
 *                           edge (default: this JVM's admin port on the bind address, and on
 *                           localhost too when that is loopback)
 * </pre>
 */
final class ConsoleUrls {

  private ConsoleUrls() {
  }

  /** Null when unknown: a wildcard bind address says nothing about the name browsers use. */
  static Supplier<String> gatewayUrl(Function<String, String> env, String bindHost,
                                                        IntSupplier edgePort) {
    String configured = env.apply("TOLLGATE_PUBLIC_URL");
    if (configured != null && !configured.isBlank()) {
      String url = stripSlash(configured.trim());
      return () -> url;
    }
    return () -> {
      int port = edgePort.getAsInt();
      return port < 0 || wildcard(bindHost) ? null : "http://" + host(bindHost) + ":" + port;
    };
  }

  static List<String> consoleOrigins(Function<String, String> env, String bindHost, int adminPort) {
    String configured = env.apply("TOLLGATE_CONSOLE_ORIGINS");
    List<String> origins = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      Arrays.stream(configured.split(",")).map(String::trim).filter(o -> !o.isEmpty())
          .map(ConsoleUrls::stripSlash).forEach(origins::add);
    }
    if (adminPort > 0 && !wildcard(bindHost)) {
      origins.add("http://" + host(bindHost) + ":" + adminPort);
      if (bindHost.equals("127.0.0.1") || bindHost.equals("::1")) {
        origins.add("http://localhost:" + adminPort);
      }
    }
    return origins;
  }

  private static boolean wildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  private static String host(String bindHost) {
    return bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
