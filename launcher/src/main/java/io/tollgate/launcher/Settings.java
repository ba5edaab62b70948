package io.tollgate.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * How one node is started: command-line flags plus environment overrides, read once.
 *
 * <pre>
 * java -jar tollgate.jar [--config FILE] [--roles LIST] [--cluster]
 * TOLLGATE_HTTP_PORT (8080)  TOLLGATE_ADMIN_PORT (8081)  TOLLGATE_MGMT_PORT (9090)
 * TOLLGATE_BIND_HOST (127.0.0.1)  TOLLGATE_CLUSTER_HOST (127.0.0.1)  TOLLGATE_CLUSTER_MEMBERS (127.0.0.1)
 * TOLLGATE_CLUSTER_PORT (5701)  TOLLGATE_CLUSTER_NAME (tollgate)  TOLLGATE_DATA_DIR (./data)
 * TOLLGATE_DEMO_KEY (demo config only: use this key instead of a generated one)
 * TOLLGATE_REDIS_URL (redis://...; none: an embedded Redis, refused with --cluster)
 * TOLLGATE_PG_URL (postgresql://...; none: an embedded PostgreSQL, refused with --cluster)
 * TOLLGATE_LIMITS_FAIL_CLOSED (false: with Redis down, limits fall back to per-node approximations)
 * TOLLGATE_ADMIN_TOKEN or TOLLGATE_ADMIN_TOKEN_FILE (none: generated once, kept in the data dir;
 *   required with --cluster so that every admin node accepts the same token)
 * TOLLGATE_EDGE_* and TOLLGATE_TRUSTED_PROXIES, TOLLGATE_FORWARDED_HEADER: see {@link EdgeSettings}
 * TOLLGATE_CLUSTER_SECRET or TOLLGATE_CLUSTER_SECRET_FILE, TOLLGATE_CLUSTER_TLS_* (see {@link ClusterSecurity};
 *   required with --cluster when TOLLGATE_CLUSTER_HOST is not loopback)
 * </pre>
 */
public record Settings(Set<Role> roles, boolean cluster, Path configFile, String bindHost, int httpPort,
                       int adminPort, int mgmtPort, String clusterHost, String clusterMembers, int clusterPort,
                       String clusterName, Path dataDir, String demoKey, String redisUrl, String pgUrl,
                       boolean limitsFailClosed, String adminToken, Path adminTokenFile, EdgeSettings edge,
                       ClusterSecurity clusterSecurity) {

  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_ADMIN_PORT = 8081;
  public static final int DEFAULT_MGMT_PORT = 9090;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_CLUSTER_PORT = 5701;
  public static final String DEFAULT_CLUSTER_NAME = "tollgate";
  public static final String DEFAULT_DATA_DIR = "./data";

  public static final String USAGE = "usage: java -jar tollgate.jar [--config FILE] [--roles LIST] [--cluster]\n"
      + "  --config FILE  YAML config (models, deployments, keys); without it a built-in demo config runs\n"
      + "  --roles LIST   comma-separated: edge,router,connector,billing,audit,admin (default: all)\n"
      + "  --cluster      join a Hazelcast cluster configured by cluster.xml and TOLLGATE_CLUSTER_* variables";

  /** Settings with the edge's connection defaults and no cluster security (enough on loopback). */
  public Settings(Set<Role> roles, boolean cluster, Path configFile, String bindHost, int httpPort, int adminPort,
                  int mgmtPort, String clusterHost, String clusterMembers, int clusterPort, String clusterName,
                  Path dataDir, String demoKey, String redisUrl, String pgUrl, boolean limitsFailClosed,
                  String adminToken, Path adminTokenFile) {
    this(roles, cluster, configFile, bindHost, httpPort, adminPort, mgmtPort, clusterHost, clusterMembers,
        clusterPort, clusterName, dataDir, demoKey, redisUrl, pgUrl, limitsFailClosed, adminToken, adminTokenFile,
        EdgeSettings.DEFAULTS, ClusterSecurity.NONE);
  }

  /** The same node with other cluster security. */
  public Settings withClusterSecurity(ClusterSecurity security) {
    return new Settings(roles, cluster, configFile, bindHost, httpPort, adminPort, mgmtPort, clusterHost,
        clusterMembers, clusterPort, clusterName, dataDir, demoKey, redisUrl, pgUrl, limitsFailClosed, adminToken,
        adminTokenFile, edge, security);
  }

  /** Parses flags and environment; throws IllegalArgumentException with a message for the user. */
  public static Settings parse(String[] args, Map<String, String> env) {
    Path config = null;
    String roles = null;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = Path.of(value(args, ++i, "--config"));
        case "--roles" -> roles = value(args, ++i, "--roles");
        case "--cluster" -> cluster = true;
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> {
          if (args[i].startsWith("--config=")) {
            config = Path.of(args[i].substring(9));
          } else if (args[i].startsWith("--roles=")) {
            roles = args[i].substring(8);
          } else {
            throw new IllegalArgumentException("unknown argument '" + args[i] + "'\n" + USAGE);
          }
        }
      }
    }
    return new Settings(Role.parse(roles), cluster, config,
        env.getOrDefault("TOLLGATE_BIND_HOST", DEFAULT_HOST),
        port(env, "TOLLGATE_HTTP_PORT", DEFAULT_HTTP_PORT),
        port(env, "TOLLGATE_ADMIN_PORT", DEFAULT_ADMIN_PORT),
        port(env, "TOLLGATE_MGMT_PORT", DEFAULT_MGMT_PORT),
        env.getOrDefault("TOLLGATE_CLUSTER_HOST", DEFAULT_HOST),
        env.getOrDefault("TOLLGATE_CLUSTER_MEMBERS", DEFAULT_HOST),
        port(env, "TOLLGATE_CLUSTER_PORT", DEFAULT_CLUSTER_PORT),
        env.getOrDefault("TOLLGATE_CLUSTER_NAME", DEFAULT_CLUSTER_NAME),
        Path.of(env.getOrDefault("TOLLGATE_DATA_DIR", DEFAULT_DATA_DIR)),
        env.get("TOLLGATE_DEMO_KEY"),
        blankToNull(env.get("TOLLGATE_REDIS_URL")),
        blankToNull(env.get("TOLLGATE_PG_URL")),
        Boolean.parseBoolean(env.getOrDefault("TOLLGATE_LIMITS_FAIL_CLOSED", "false")),
        blankToNull(env.get("TOLLGATE_ADMIN_TOKEN")),
        env.get("TOLLGATE_ADMIN_TOKEN_FILE") == null ? null : Path.of(env.get("TOLLGATE_ADMIN_TOKEN_FILE")),
        EdgeSettings.parse(env),
        ClusterSecurity.fromEnv(env));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
    }
    return args[i];
  }

  private static int port(Map<String, String> env, String name, int dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int port = Integer.parseInt(v.trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a port number, got '" + v + "'");
    }
  }
}
