package io.tollgate.billing.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts fired alerts to the webhooks that want them: one JSON body per alert and webhook, a 2xx
 * answer is delivered, anything else (an error status, a refused connection, no answer within the
 * attempt's deadline) is tried again after a backoff that doubles up to a maximum, a bounded number
 * of times. A receiver may get an alert twice (its 2xx lost on the way back); {@code x-tollgate-delivery}
 * (the alert id) lets it tell.
 *
 * <p>Signed webhooks carry {@code x-tollgate-timestamp} (Unix seconds) and {@code x-tollgate-signature:
 * sha256=<hex>}, the HMAC-SHA256 with the webhook's secret of {@code <timestamp>.<body>}.
 */
final class WebhookDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
  static final String SIGNATURE = "x-tollgate-signature";
  static final String TIMESTAMP = "x-tollgate-timestamp";
  static final String DELIVERY = "x-tollgate-delivery";
  static final String EVENT = "x-tollgate-event";

  private final Vertx vertx;
  private final Pool pool;
  private final AlertOptions options;
  private final WebClient client;
  private final Counter delivered;
  private final Counter failed;

  WebhookDelivery(Vertx vertx, Pool pool, AlertOptions options, MeterRegistry registry) {
    this.vertx = vertx;
    this.pool = pool;
    this.options = options;
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.attemptTimeoutMs())).setUserAgent("tollgate"));
    this.delivered = Counter.builder("tollgate_webhook_deliveries").tag("result", "delivered")
        .description("Alert deliveries a webhook answered with 2xx").register(registry);
    this.failed = Counter.builder("tollgate_webhook_deliveries").tag("result", "failed")
        .description("Alert deliveries given up after every attempt").register(registry);
  }

  /** Delivers each alert to every webhook that wants it; completes when all are delivered or given up. */
  Future<Void> deliver(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return Future.succeededFuture();
    }
    return hooks().compose(hooks -> {
      List<Future<Boolean>> all = new ArrayList<>();
      for (Alert alert : alerts) {
        Buffer body = alert.toJson().toBuffer();
        for (Webhook hook : hooks) {
          if (hook.wants(alert)) {
            all.add(attempt(hook, alert, body, 1));
          }
        }
      }
      return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
    }).onFailure(e -> LOG.warn("webhooks not read, {} alerts not delivered: {}", alerts.size(), e.toString()));
  }

  private Future<List<Webhook>> hooks() {
    return pool.query("SELECT id, url, secret, events, tenant_id FROM webhooks ORDER BY created_at").execute()
        .map(rows -> {
          List<Webhook> out = new ArrayList<>();
          for (Row r : rows) {
            String[] events = r.getArrayOfStrings(3);
            out.add(new Webhook(r.getString(0), r.getString(1), r.getString(2),
                events == null ? List.of() : Arrays.asList(events), r.getString(4)));
          }
          return out;
        });
  }

  /** Completes with whether the webhook took the alert, after as many attempts as it needed or allowed. */
  private Future<Boolean> attempt(Webhook hook, Alert alert, Buffer body, int attempt) {
    return post(hook, alert, body).transform(ar -> {
      if (ar.succeeded()) {
        delivered.increment();
        return Future.succeededFuture(true);
      }
      String why = ar.cause().getMessage();
      if (attempt >= options.attempts()) {
        failed.increment();
        LOG.warn("webhook {} ({}) did not take alert {} after {} attempts, giving up: {}", hook.id(), hook.url(),
            alert.id(), attempt, why);
        return Future.succeededFuture(false);
      }
      long wait = options.backoffBefore(attempt + 1);
      LOG.debug("webhook {} attempt {} for alert {} failed ({}); again in {} ms", hook.id(), attempt, alert.id(), why,
          wait);
      Promise<Boolean> next = Promise.promise();
      vertx.setTimer(wait, id -> attempt(hook, alert, body, attempt + 1).onComplete(next));
      return next.future();
    });
  }

  /** One POST with its own deadline; fails on anything but a 2xx. */
  private Future<Void> post(Webhook hook, Alert alert, Buffer body) {
    Promise<Void> done = Promise.promise();
    long deadline = vertx.setTimer(options.attemptTimeoutMs(), id ->
        done.tryFail("no answer within " + options.attemptTimeoutMs() + " ms"));
    var request = client.postAbs(hook.url()).idleTimeout(options.attemptTimeoutMs())
        .putHeader("content-type", "application/json")
        .putHeader(EVENT, alert.kind().type())
        .putHeader(DELIVERY, alert.id());
    if (hook.secret() != null && !hook.secret().isEmpty()) {
      String timestamp = Long.toString(alert.firedAt() == null ? System.currentTimeMillis() / 1000
          : alert.firedAt().getEpochSecond());
      request.putHeader(TIMESTAMP, timestamp).putHeader(SIGNATURE, "sha256=" + sign(hook.secret(), timestamp, body));
    }
    request.sendBuffer(body).onComplete(ar -> {
      vertx.cancelTimer(deadline);
      if (ar.failed()) {
        done.tryFail(ar.cause());
      } else {
        HttpResponse<Buffer> response = ar.result();
        if (response.statusCode() / 100 == 2) {
          done.tryComplete();
        } else {
          done.tryFail("status " + response.statusCode());
        }
      }
    });
    return done.future();
  }

  /** Hex HMAC-SHA256 of {@code timestamp.body}: what a receiver recomputes to trust a delivery. */
  static String sign(String secret, String timestamp, Buffer body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  void close() {
    client.close();
  }
}
