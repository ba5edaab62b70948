package io.tollgate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open-loop load at a fixed rate against a running gateway. Latency is measured from each
 * request's intended send time (so a stalled gateway cannot hide its queueing: no coordinated
 * omission) to the last byte of the response, and recorded in an HdrHistogram.
 *
 * <pre>
 * java -jar bench/target/tollgate-bench.jar --url http://127.0.0.1:8080/v1/chat/completions \
 *   --key KEY --rate 2000 --duration 30 --warmup 10 [--connections 64] [--model M] [--stream] [--anthropic]
 * </pre>
 * With {@code --anthropic} the same conversation is sent as an Anthropic Messages body (key in
 * {@code x-api-key}); point {@code --url} at {@code /v1/messages}.
 */
public final class LoadGen {

  private static final Logger LOG = LoggerFactory.getLogger(LoadGen.class);

  private LoadGen() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    URI url = URI.create(a.getOrDefault("url", "http://127.0.0.1:8080/v1/chat/completions"));
    String key = a.getOrDefault("key", System.getenv("TOLLGATE_KEY"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
    int duration = Integer.parseInt(a.getOrDefault("duration", "30"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "10"));
    int connections = Integer.parseInt(a.getOrDefault("connections", "64"));
    boolean stream = a.containsKey("stream");
    String model = a.getOrDefault("model", "bench");
    boolean anthropic = a.containsKey("anthropic");
    Buffer body = Buffer.buffer("{\"model\":\"" + model + "\",\"stream\":" + stream
        + (anthropic ? ",\"max_tokens\":64" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the benchmark.\"}]}");

    Vertx vertx = Vertx.vertx();
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setPipelining(false), new PoolOptions().setHttp1MaxSize(connections));
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
        .setPort(url.getPort()).setURI(url.getPath()).putHeader("content-type", "application/json")
        .putHeader(anthropic ? "x-api-key" : "authorization", anthropic ? key : "Bearer " + key);

    Recorder recorder = new Recorder(3);
    Recorder service = new Recorder(3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long intervalNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(warmup + duration);
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    long[] next = {start};
    CountDownLatch finished = new CountDownLatch(1);
    AtomicLong inFlight = new AtomicLong();

    vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      while (next[0] <= now && next[0] < end) {
        long intended = next[0];
        next[0] += intervalNanos;
        inFlight.incrementAndGet();
        long sent = System.nanoTime();
        client.request(request)
            .compose(req -> req.send(body))
            .compose(resp -> resp.body().map(b -> resp.statusCode()))
            .onComplete(ar -> {
              long done = System.nanoTime();
              if (intended >= measureFrom) {
                if (ar.succeeded() && ar.result() == 200) {
                  ok.incrementAndGet();
                  recorder.recordValue(done - intended);
                  service.recordValue(done - sent);
                } else {
                  failed.incrementAndGet();
                }
              }
              inFlight.decrementAndGet();
            });
      }
      if (now >= end && inFlight.get() == 0) {
        vertx.cancelTimer(id);
        finished.countDown();
      }
    });
    finished.await(warmup + duration + 60L, TimeUnit.SECONDS);
    Histogram h = recorder.getIntervalHistogram();
    Histogram s = service.getIntervalHistogram();
    double seconds = duration;
    // "service" runs from the moment the request was handed to the client; "response" from its
    // scheduled time, which adds the generator's own timer granularity (1 ms ticks) but also
    // shows any stall of the gateway that held requests back (no coordinated omission).
    LOG.info(String.format("format=%s model=%s stream=%s rate=%d/s duration=%ds ok=%d failed=%d achieved=%.0f req/s | "
            + "service p50=%.3fms p90=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms | response p50=%.3fms p99=%.3fms",
        anthropic ? "anthropic" : "openai", model, stream, rate, duration, ok.get(), failed.get(), ok.get() / seconds,
        s.getValueAtPercentile(50) / 1e6, s.getValueAtPercentile(90) / 1e6, s.getValueAtPercentile(99) / 1e6,
        s.getValueAtPercentile(99.9) / 1e6, s.getMaxValue() / 1e6,
        h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6));
    client.close();
    vertx.close();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        out.put(name, args[++i]);
      } else {
        out.put(name, "true");
      }
    }
    return out;
  }
}
