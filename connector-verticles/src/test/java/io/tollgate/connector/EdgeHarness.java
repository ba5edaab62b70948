package io.tollgate.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.Addresses;
import io.tollgate.api.ErrorCode;
import io.tollgate.api.bus.CallStarted;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.bus.StreamChunk;
import io.tollgate.api.bus.UpstreamCall;
import io.tollgate.api.chat.ChoiceDelta;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the edge (one stream address, chunks demultiplexed by request id, acks for requested
 * chunks) and the router (UpstreamCall by request-reply), and listens to published outcomes.
 */
public final class EdgeHarness {

  private final Vertx vertx;
  private final String streamAddress = Addresses.edgeStream(UUID.randomUUID().toString());
  private final Map<String, List<StreamChunk>> chunks = new ConcurrentHashMap<>();
  private final Map<String, Promise<List<StreamChunk>>> ends = new ConcurrentHashMap<>();
  private final Map<String, Promise<Outcome>> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Promise<Void>> deltaWaits = new ConcurrentHashMap<>();
  private final Map<String, Integer> deltaWaitCounts = new ConcurrentHashMap<>();
  private final AtomicInteger acks = new AtomicInteger();
  private volatile boolean forgetRequests;

  private EdgeHarness(Vertx vertx) {
    this.vertx = vertx;
  }

  public static EdgeHarness start(Vertx vertx) {
    EdgeHarness harness = new EdgeHarness(vertx);
    Await.await(Future.all(
        vertx.eventBus().<StreamChunk>consumer(harness.streamAddress, harness::onChunk).completion(),
        vertx.eventBus().<Outcome>consumer(Addresses.OUTCOMES, m -> harness.outcomePromise(m.body().requestId())
            .tryComplete(m.body())).completion()));
    return harness;
  }

  public String streamAddress() {
    return streamAddress;
  }

  /** From now on, fail acks as an edge does for a request id it no longer knows. */
  public void forgetRequests() {
    forgetRequests = true;
  }

  public int acks() {
    return acks.get();
  }

  /** Sends the call as the router does; completes with CallStarted or fails with the connector's error. */
  public Future<CallStarted> call(String provider, UpstreamCall call) {
    return vertx.eventBus().<CallStarted>request(Addresses.connectorCall(provider), call).map(Message::body);
  }

  /** All chunks of a request, in arrival order, once its END chunk arrived. */
  public Future<List<StreamChunk>> end(String requestId) {
    return endPromise(requestId).future();
  }

  public Future<Outcome> outcome(String requestId) {
    return outcomePromise(requestId).future();
  }

  /**
   * Completes once {@code count} stream events of the request have arrived in DELTA messages
   * (a message may batch several events, so this counts events, not messages).
   */
  public synchronized Future<Void> deltas(String requestId, int count) {
    Promise<Void> promise = Promise.promise();
    deltaWaits.put(requestId, promise);
    deltaWaitCounts.put(requestId, count);
    checkDeltaWait(requestId);
    return promise.future();
  }

  private synchronized void onChunk(Message<StreamChunk> message) {
    StreamChunk chunk = message.body();
    if (message.replyAddress() != null) {
      if (forgetRequests) {
        message.fail(ErrorCode.NOT_FOUND.wire(), "unknown request " + chunk.requestId());
        return;
      }
      acks.incrementAndGet();
      message.reply(null);
    }
    List<StreamChunk> list = chunks.computeIfAbsent(chunk.requestId(), k -> new ArrayList<>());
    list.add(chunk);
    if (chunk.isEnd()) {
      endPromise(chunk.requestId()).tryComplete(List.copyOf(list));
    }
    checkDeltaWait(chunk.requestId());
  }

  private void checkDeltaWait(String requestId) {
    Integer wanted = deltaWaitCounts.get(requestId);
    List<StreamChunk> list = chunks.getOrDefault(requestId, List.of());
    if (wanted != null && list.stream().filter(c -> !c.isEnd()).mapToInt(c -> c.events().size()).sum() >= wanted) {
      deltaWaits.get(requestId).tryComplete();
    }
  }

  private Promise<List<StreamChunk>> endPromise(String requestId) {
    return ends.computeIfAbsent(requestId, k -> Promise.promise());
  }

  private Promise<Outcome> outcomePromise(String requestId) {
    return outcomes.computeIfAbsent(requestId, k -> Promise.promise());
  }

  /** The stream events of a request's messages, flattened in order (messages batch several). */
  public static List<List<ChoiceDelta>> events(List<StreamChunk> chunks) {
    List<List<ChoiceDelta>> out = new ArrayList<>();
    chunks.forEach(c -> out.addAll(c.events()));
    return out;
  }

  /** The END message: always the last one. */
  public static StreamChunk last(List<StreamChunk> chunks) {
    return chunks.get(chunks.size() - 1);
  }

  /** Messages are numbered 0..n without gaps, and exactly one END comes, last. */
  public static void assertGapless(List<StreamChunk> chunks) {
    for (int i = 0; i < chunks.size(); i++) {
      assertThat(chunks.get(i).seq()).as("seq of message %d", i).isEqualTo(i);
    }
    assertThat(last(chunks).isEnd()).isTrue();
    assertThat(chunks.stream().filter(StreamChunk::isEnd)).hasSize(1);
  }
}
