package io.tollgate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open-loop mixed load for bench/soak.sh: several flows, each at its own fixed rate, from one JVM
 * (one JVM per flow cost this 2-core machine about 0.13 core each in timers and JIT alone). A flow
 * names the status it expects, so the error paths (a bad key: 401, an unknown model: 404) are load
 * too, and anything else counts as unexpected. Running totals are logged every {@code --progress}
 * seconds so a long run can be sampled while it goes. Latencies leave out the first {@code --warmup}
 * seconds (a cold JVM at 1,000 req/s queues for seconds, which would otherwise be the whole p99).
 *
 * <pre>
 * java -cp bench/target/tollgate-bench.jar io.tollgate.bench.SoakLoad --url http://127.0.0.1:8080/v1/chat/completions \
 *   --duration 600 [--warmup 120] [--progress 5] [--connections 256] --flow NAME,RATE,KEY,MODEL,json|sse,EXPECTED_STATUS ...
 * </pre>
 */
public final class SoakLoad {

  private static final Logger LOG = LoggerFactory.getLogger(SoakLoad.class);

  private SoakLoad() {
  }

  /** One kind of request at one rate, with its own counts; touched only from the generator's event loop. */
  private static final class Flow {
    final String name;
    final int rate;
    final int expect;
    final RequestOptions request;
    final Buffer body;
    final long intervalNanos;
    long next;
    final AtomicLong done = new AtomicLong();
    final AtomicLong unexpected = new AtomicLong();
    final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    final Recorder latency = new Recorder(3);

    Flow(String spec, URI url, long start) {
      String[] p = spec.split(",");
      if (p.length != 6) {
        throw new IllegalArgumentException("--flow wants NAME,RATE,KEY,MODEL,json|sse,STATUS, got " + spec);
      }
      name = p[0];
      rate = Integer.parseInt(p[1]);
      boolean stream = p[4].equals("sse");
      expect = Integer.parseInt(p[5]);
      request = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(url.getPort())
          .setURI(url.getPath()).putHeader("content-type", "application/json").putHeader("authorization", "Bearer " + p[2]);
      body = Buffer.buffer("{\"model\":\"" + p[3] + "\",\"stream\":" + stream
          + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
          + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say the numbers from one to sixteen.\"}]}");
      intervalNanos = 1_000_000_000L / rate;
      next = start;
    }
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create("http://127.0.0.1:8080/v1/chat/completions");
    int duration = 600;
    int warmup = 0;
    int progress = 0;
    int connections = 256;
    List<String> specs = new ArrayList<>();
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("arguments come in --name value pairs");
    }
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--url" -> url = URI.create(args[i + 1]);
        case "--duration" -> duration = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--progress" -> progress = Integer.parseInt(args[i + 1]);
        case "--connections" -> connections = Integer.parseInt(args[i + 1]);
        case "--flow" -> specs.add(args[i + 1]);
        default -> throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
    }
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(duration);
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    List<Flow> flows = new ArrayList<>();
    for (String spec : specs) {
      flows.add(new Flow(spec, url, start));
    }
    Vertx vertx = Vertx.vertx();
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections));
    AtomicLong inFlight = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(1);
    if (progress > 0) {
      vertx.setPeriodic(progress * 1000L, id -> LOG.info(String.format("progress elapsed=%ds done=%d unexpected=%d inflight=%d",
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), flows.stream().mapToLong(f -> f.done.get()).sum(),
          flows.stream().mapToLong(f -> f.unexpected.get()).sum(), inFlight.get())));
    }
    vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      for (Flow f : flows) {
        while (f.next <= now && f.next < end) {
          long intended = f.next;
          f.next += f.intervalNanos;
          inFlight.incrementAndGet();
          client.request(f.request)
              .compose(req -> req.send(f.body))
              .compose(resp -> resp.body().map(b -> resp.statusCode()))
              .onComplete(ar -> {
                // From the intended send time: a stalled gateway cannot hide its queueing.
                if (intended >= measureFrom) {
                  f.latency.recordValue(System.nanoTime() - intended);
                }
                if (!(ar.succeeded() && ar.result() == f.expect)) {
                  f.unexpected.incrementAndGet();
                  String outcome = ar.succeeded() ? "status " + ar.result() : ar.cause().getClass().getSimpleName();
                  f.outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
                }
                f.done.incrementAndGet();
                inFlight.decrementAndGet();
              });
        }
      }
      if (now >= end && inFlight.get() == 0) {
        vertx.cancelTimer(id);
        finished.countDown();
      }
    });
    if (!finished.await(duration + 60L, TimeUnit.SECONDS)) {
      LOG.warn("{} requests still in flight 60 s after the end", inFlight.get());
    }
    for (Flow f : flows) {
      Histogram h = f.latency.getIntervalHistogram();
      LOG.info(String.format("flow=%s rate=%d/s done=%d unexpected=%d%s | after the warm-up: response p50=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms",
          f.name, f.rate, f.done.get(), f.unexpected.get(), f.outcomes.isEmpty() ? "" : " " + f.outcomes,
          h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6,
          h.getMaxValue() / 1e6));
    }
    client.close();
    vertx.close();
  }
}
