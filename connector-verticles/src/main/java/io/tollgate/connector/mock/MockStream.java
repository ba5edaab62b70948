package io.tollgate.connector.mock;

import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.FinishReason;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.ops.CompletionRequest;
import io.tollgate.connector.ProviderCall;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * One mock answer in flight: {@code steps} token chunks (each carrying every choice index), a
 * finish chunk, then END with exact usage. Without a delay it emits in bursts and yields the
 * event loop between bursts, so a 100k-token answer does not stall other calls.
 */
final class MockStream {

  /** Token chunks emitted per event-loop turn when there is no delay. */
  static final int BURST = 64;

  private final Vertx vertx;
  private final ProviderCall call;
  private final int steps;
  private final int choices;
  private final FinishReason finishReason;
  private final long delayMs;
  private int emitted;
  private long timer = -1;
  private boolean stopped;

  MockStream(Vertx vertx, ProviderCall call, int tokens, long delayMs) {
    ChatRequest chat = call.call().chat();
    CompletionRequest legacy = chat == null ? (CompletionRequest) call.call().payload() : null;
    this.vertx = vertx;
    this.call = call;
    Integer max = chat != null ? chat.completionLimit() : legacy.maxTokens();
    this.steps = max != null && max < tokens ? Math.max(0, max) : tokens;
    this.finishReason = max != null && max < tokens ? FinishReason.LENGTH : FinishReason.STOP;
    // A legacy completion has n choices for each prompt, indexed prompt by prompt as OpenAI does.
    this.choices = chat != null ? Math.max(1, chat.choices())
        : Math.max(1, legacy.n() == null ? 1 : legacy.n()) * Math.max(1, legacy.prompts().size() + legacy.tokenPrompts().size());
    this.delayMs = delayMs;
  }

  void start() {
    call.onAbort(this::stop);
    call.started();
    next();
  }

  private void next() {
    if (delayMs > 0) {
      timer = vertx.setTimer(delayMs, id -> {
        timer = -1;
        step();
        if (!stopped) {
          next();
        }
      });
    } else {
      vertx.runOnContext(v -> burst());
    }
  }

  private void burst() {
    for (int i = 0; i < BURST && !stopped; i++) {
      step();
    }
    if (!stopped) {
      next();
    }
  }

  private void step() {
    if (stopped || call.isFinished()) {
      stopped = true;
      return;
    }
    if (emitted < steps) {
      List<ChoiceDelta> deltas = new ArrayList<>(choices);
      String role = emitted == 0 ? "assistant" : null;
      String text = MockText.token(emitted);
      for (int c = 0; c < choices; c++) {
        deltas.add(new ChoiceDelta(c, role, text, null, null));
      }
      emitted++;
      call.deltas(deltas);
      if (emitted < steps || stopped) {
        return;
      }
    }
    // The finish chunk follows the last token at once, as upstreams send finish_reason with it.
    List<ChoiceDelta> finish = new ArrayList<>(choices);
    for (int c = 0; c < choices; c++) {
      finish.add(new ChoiceDelta(c, steps == 0 ? "assistant" : null, null, null, finishReason));
    }
    call.deltas(finish);
    call.usage(new Usage(call.call().promptEstimate(), steps * choices, 0, 0, false));
    stopped = true;
    call.complete();
  }

  private void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
