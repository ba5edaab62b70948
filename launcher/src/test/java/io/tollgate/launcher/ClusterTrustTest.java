package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Only nodes with the cluster secret join, and only nodes with the cluster certificate talk on the event bus")
class ClusterTrustTest {

  private static final String SECRET = "test-cluster-secret-0123456789abcdef";
  private static final String ADDRESS = "test.trust.echo";
  private static final long SEND_TIMEOUT_MS = 2_000;

  private static final List<Tollgate> NODES = new ArrayList<>();
  private static SelfSignedCertificate certificate;
  private static String cluster;
  private static Tollgate a;
  private static Tollgate b;

  @BeforeAll
  static void twoTrustedNodes() throws Exception {
    certificate = SelfSignedCertificate.create("tollgate-cluster");
    cluster = TestGateway.uniqueClusterName();
    a = node(new ClusterSecurity(SECRET, null, tls()));
    // The same certificate as a PKCS#12 key store (what keytool makes): both forms interoperate.
    Path store = TestCertificates.pkcs12(certificate, "store-password");
    b = node(new ClusterSecurity(SECRET, null, new ClusterTls(store, "store-password", null, null, null)));
    a.vertx().eventBus().<String>consumer(ADDRESS, m -> m.reply("pong from a")).completion().await();
  }

  @AfterAll
  static void stopNodes() {
    for (Tollgate node : NODES) {
      node.close().await();
    }
    certificate.delete();
  }

  private static ClusterTls tls() {
    return new ClusterTls(null, null, Path.of(certificate.certificatePath()), Path.of(certificate.privateKeyPath()),
        null);
  }

  /** A clustered connector-only node on loopback: the one role that needs no database. */
  private static Tollgate node(ClusterSecurity security) throws Exception {
    Settings settings = new Settings(Set.of(Role.CONNECTOR), true, null, "127.0.0.1", 0, 0, 0, "127.0.0.1",
        "127.0.0.1", 5801, cluster, TestGateway.freshDataDir(), null, null, null, false, null, null)
        .withClusterSecurity(security);
    Tollgate node = Tollgate.start(settings, name -> null).await(60, TimeUnit.SECONDS);
    NODES.add(node);
    return node;
  }

  private static ClusterManager manager(Tollgate node) {
    return ((VertxInternal) node.vertx()).clusterManager();
  }

  private static List<String> members(Tollgate node) {
    return manager(node).getNodes();
  }

  private static String id(Tollgate node) {
    return manager(node).getNodeId();
  }

  private static Future<String> ask(Tollgate from) {
    return ask(from.vertx());
  }

  private static Future<String> ask(Vertx from) {
    return from.eventBus().<String>request(ADDRESS, "ping", new DeliveryOptions()
        .setSendTimeout(SEND_TIMEOUT_MS)).map(m -> m.body());
  }

  /** Waits (bounded by the send timeout plus a margin) until {@code f} has succeeded or failed. */
  private static <T> Future<T> settled(Future<T> f) throws Exception {
    try {
      f.await(SEND_TIMEOUT_MS + 3_000, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      if (!f.failed()) {
        throw e;
      }
    }
    return f;
  }

  /**
   * The result of asking from {@code node} once its view of the cluster has the consumer: a
   * registration made on one node reaches the others' views asynchronously.
   */
  private static Future<String> askOnceVisible(Tollgate node) throws Exception {
    return askOnceVisible(node.vertx());
  }

  private static Future<String> askOnceVisible(Vertx node) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Future<String> answer = settled(ask(node));
      boolean unseen = answer.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
      if (!unseen || System.nanoTime() > deadline) {
        return answer;
      }
      Thread.sleep(50);
    }
  }

  @Test
  @DisplayName("two nodes with the same secret and the cluster certificate (one as PEM, one as a PKCS#12 key store) "
      + "form one cluster and answer each other over TLS")
  void trustedNodesTalk() throws Exception {
    assertThat(members(b)).contains(id(a), id(b));
    assertThat(members(a)).contains(id(a), id(b));
    assertThat(askOnceVisible(b).result()).isEqualTo("pong from a");
  }

  @Test
  @DisplayName("a node with another secret, or with none, is refused at join and forms a cluster of its own")
  void wrongOrMissingSecretCannotJoin() throws Exception {
    ListAppender<ILoggingEvent> hazelcastLog = new ListAppender<>();
    hazelcastLog.start();
    Logger hazelcast = (Logger) LoggerFactory.getLogger("com.hazelcast");
    hazelcast.addAppender(hazelcastLog);
    Tollgate wrong;
    try {
      wrong = node(new ClusterSecurity("another-secret-0123456789abcdef", null, tls()));
    } finally {
      hazelcast.detachAppender(hazelcastLog);
    }
    // The refused join is logged, with the cluster name, without the part of it that admits a node.
    String keyed = ClusterSecurity.clusterName(cluster, SECRET).substring(cluster.length());
    assertThat(hazelcastLog.list).extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.contains(cluster) && m.contains("join"))
        .noneMatch(m -> m.contains(keyed));
    Tollgate none = node(new ClusterSecurity(null, null, tls()));
    assertThat(members(wrong)).containsExactly(id(wrong));
    assertThat(members(none)).containsExactly(id(none));
    assertThat(members(a)).doesNotContain(id(wrong), id(none));
    for (Tollgate outsider : List.of(wrong, none)) {
      Future<String> answer = settled(ask(outsider));
      assertThat(answer.failed()).isTrue();
      assertThat(((ReplyException) answer.cause()).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    }
  }

  @Test
  @DisplayName("a node that knows the secret but has no certificate joins Hazelcast yet cannot send to or receive "
      + "from the TLS nodes")
  void secretWithoutCertificateCannotTalk() throws Exception {
    assertCannotTalk(node(new ClusterSecurity(SECRET, null, ClusterTls.NONE)).vertx(), "test.trust.plain");
  }

  @Test
  @DisplayName("a node that knows the secret, presents a certificate of its own making and accepts any peer receives "
      + "nothing from the TLS nodes and cannot send to them")
  void foreignCertificateCannotTalk() throws Exception {
    SelfSignedCertificate foreign = SelfSignedCertificate.create("tollgate-cluster");
    Settings settings = new Settings(Set.of(), true, null, "127.0.0.1", 0, 0, 0, "127.0.0.1", "127.0.0.1", 5801,
        cluster, TestGateway.freshDataDir(), null, null, null, false, null, null);
    // Not a Tollgate node: an impostor whose event bus trusts everyone and asks no client certificate,
    // so only the TLS nodes' own checks can keep bodies from it.
    Vertx impostor = Vertx.builder().with(new VertxOptions().setEventBusOptions(new EventBusOptions().setSsl(true)
            .setKeyCertOptions(foreign.keyCertOptions()).setTrustAll(true).setClientAuth(ClientAuth.NONE)))
        .withClusterManager(ClusterSetup.clusterManager(settings, SECRET)).buildClustered()
        .await(60, TimeUnit.SECONDS);
    try {
      assertCannotTalk(impostor, "test.trust.impostor");
    } finally {
      impostor.close().await(30, TimeUnit.SECONDS);
      foreign.delete();
    }
  }

  /** The outsider is a Hazelcast member (it knows the secret) but no message crosses between it and node a. */
  private static void assertCannotTalk(Vertx outsider, String outsiderAddress) throws Exception {
    assertThat(((VertxInternal) outsider).clusterManager().getNodes()).contains(id(a));
    Future<String> toA = askOnceVisible(outsider);
    assertThat(toA.failed()).as("the outsider's request to a TLS node").isTrue();
    assertThat(((ReplyException) toA.cause()).failureType()).isNotEqualTo(ReplyFailure.NO_HANDLERS);

    // What counts is whether the body reached the outsider: its reply could fail on its own.
    List<String> received = new CopyOnWriteArrayList<>();
    outsider.eventBus().<String>consumer(outsiderAddress, m -> {
      received.add(m.body());
      m.reply("leaked");
    }).completion().await();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Future<Object> fromA;
    do {
      fromA = settled(a.vertx().eventBus().request(outsiderAddress, "prompt",
          new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS)).map(m -> m.body()));
    } while (fromA.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
        && System.nanoTime() < deadline && sleep());
    assertThat(fromA.failed()).as("a TLS node's request to the outsider").isTrue();
    assertThat(((ReplyException) fromA.cause()).failureType()).isNotEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(received).as("bodies the outsider received").isEmpty();
  }

  @Test
  @DisplayName("a plain TCP client that writes an event-bus frame to a node's event-bus port is disconnected")
  void plainClientIsDisconnected() throws Exception {
    NodeInfo info = ((VertxInternal) a.vertx()).clusterManager().getNodeInfo();
    try (Socket socket = new Socket(info.host(), info.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      // A length prefix and the start of a frame: a plain event-bus server waits for the rest.
      out.write(new byte[] {0, 0, 0, 64, 1, 0, 0, 0, 0, 0, 0, 0});
      out.flush();
      InputStream in = socket.getInputStream();
      int read;
      try {
        read = in.read();
        while (read != -1) {
          read = in.read();
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the event-bus port kept a plain connection open", e);
      } catch (IOException e) {
        read = -1; // reset by the server: disconnected too
      }
      assertThat(read).isEqualTo(-1);
    }
  }

  private static boolean sleep() throws InterruptedException {
    Thread.sleep(50);
    return true;
  }
}
