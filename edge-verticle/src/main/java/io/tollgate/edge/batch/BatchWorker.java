package io.tollgate.edge.batch;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs batch lines on one node: claims up to {@link BatchOptions#concurrency()} lines at a time and
 * sends each through this node's edge over loopback HTTP ({@link BatchLink}), so a line gets exactly
 * what an interactive request gets: limits, routing, failover, usage and billing. The small fixed
 * concurrency keeps batches below interactive traffic. Then ends the batches that are done.
 */
public final class BatchWorker extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWorker.class);
  /** How long one line may take through the edge before the worker gives it up (its lease then runs out). */
  private static final long LINE_TIMEOUT_MS = 10 * 60_000L;

  record Answer(int status, String body) {
  }

  private final LineStore lines;
  private final BatchOptions options;
  private final BatchLink link;
  private final String edgeHost;
  private final int edgePort;
  private HttpClient http;
  private int inFlight;
  private boolean polling;
  /** Set on stop: answers still arriving are left to the lease (another worker runs those lines). */
  private boolean stopped;
  private long timer = -1;

  /** @param edgeHost the address this node's edge listens on (a wildcard address: loopback) */
  public BatchWorker(BatchStore store, BatchLink link, String edgeHost, int edgePort) {
    this.edgeHost = edgeHost == null || edgeHost.equals("0.0.0.0") || edgeHost.equals("::") ? "127.0.0.1" : edgeHost;
    this.lines = new LineStore(store.pool());
    this.options = store.options();
    this.link = link;
    this.edgePort = edgePort;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(edgeHost).setDefaultPort(edgePort)
        .setKeepAlive(true));
    timer = vertx.setPeriodic(options.pollMs(), id -> poll());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return http == null ? Future.succeededFuture() : http.close();
  }

  /** Lines being run on this node now. */
  public int inFlight() {
    return inFlight;
  }

  private void poll() {
    if (polling || stopped) {
      return;
    }
    polling = true;
    int free = options.concurrency() - inFlight;
    Future<Integer> claimed = free <= 0 ? Future.succeededFuture(0) : lines.claim(free, options.leaseMs())
        .map(batch -> {
          batch.forEach(this::run);
          return batch.size();
        });
    claimed.compose(n -> lines.finalizeReady())
        .onFailure(e -> LOG.warn("batch worker: {}", e.toString()))
        .onComplete(ar -> polling = false);
  }

  /**
   * A line refused only for now (the key's or tenant's rate limit, or the gateway's own) is not an
   * answer: it is left to its lease and runs again when the lease runs out, so a batch proceeds at the
   * rate its limits allow. A spent quota or budget is an answer (it would not pass later either).
   */
  static boolean later(Answer answer) {
    if (answer.status() != 429 && answer.status() != 503) {
      return false;
    }
    try {
      String code = new io.vertx.core.json.JsonObject(answer.body()).getJsonObject("error").getString("code");
      return "rate_limit_exceeded".equals(code) || "service_unavailable".equals(code)
          || "no_deployment_available".equals(code);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void run(LineStore.Claimed line) {
    inFlight++;
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI(line.endpoint())
        .putHeader("content-type", "application/json").putHeader(BatchLink.TOKEN, link.token())
        .putHeader(BatchLink.KEY_ID, line.keyId()).putHeader(BatchLink.REQUEST_ID, line.requestId())
        .setIdleTimeout(LINE_TIMEOUT_MS);
    http.request(request)
        .compose(req -> req.send(line.body()))
        .compose(resp -> resp.body().map(body -> new Answer(resp.statusCode(), body.toString())))
        .compose(answer -> later(answer) ? Future.succeededFuture(true)
            : lines.complete(line, answer.status(), answer.body()))
        .onComplete(ar -> {
          inFlight--;
          if (stopped) {
            return;
          }
          if (ar.failed()) {
            // The lease runs out and a worker (maybe this one) runs the line again.
            LOG.warn("batch line {}#{} not recorded: {}", line.batchId(), line.lineNo(), ar.cause().toString());
          } else if (!ar.result()) {
            LOG.info("batch line {}#{} was taken over by another worker; its answer here is dropped",
                line.batchId(), line.lineNo());
          }
          poll();
        });
  }
}
