package io.tollgate.api.bus.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Local messages: delivered and answered as tasks of one context, failing like the event bus")
class LocalMessageTest {

  private Vertx vertx;
  private Context context;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs {@code body} on the context and waits for the future it returns. */
  private <T> T onContext(Function<Void, Future<T>> body) throws Exception {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> body.apply(null).onComplete(result));
    return result.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Throwable failureOf(Function<Void, Future<Message<Object>>> body) throws Exception {
    return onContext(v -> body.apply(null).transform(ar -> Future.succeededFuture(ar.cause())));
  }

  @Test
  @DisplayName("the handler runs after the sender's turn, and the reply after the replier's")
  void asynchronousLikeTheBus() throws Exception {
    List<String> order = new ArrayList<>();
    String reply = onContext(v -> {
      Future<Message<String>> answer = LocalMessage.request(context, "a", "question", 1_000, m -> {
        order.add("handler got " + m.body() + ", expects a reply: " + (m.replyAddress() != null));
        m.reply("answer");
        order.add("replier went on");
      });
      order.add("sender went on");
      return answer.map(m -> {
        order.add("reply");
        return m.body();
      });
    });
    assertThat(reply).isEqualTo("answer");
    assertThat(order).containsExactly("sender went on", "handler got question, expects a reply: true",
        "replier went on", "reply");
  }

  @Test
  @DisplayName("fail(code, message) and a ReplyException body are recipient failures with their code")
  void failures() throws Exception {
    Throwable failed = failureOf(v -> LocalMessage.request(context, "a", 1, 1_000, m -> m.fail(429, "slow down")));
    assertThat(failed).isInstanceOf(ReplyException.class).hasMessage("slow down");
    assertThat(((ReplyException) failed).failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(((ReplyException) failed).failureCode()).isEqualTo(429);

    ReplyException typed = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503, "typed");
    assertThat(failureOf(v -> LocalMessage.request(context, "a", 1, 1_000, m -> m.reply(typed)))).isSameAs(typed);
  }

  @Test
  @DisplayName("a handler that never answers gives a TIMEOUT failure, and a late reply changes nothing")
  void timeout() throws Exception {
    List<Message<Integer>> held = new ArrayList<>();
    Throwable failed = failureOf(v -> LocalMessage.request(context, "nobody.answers", 1, 20, held::add));
    assertThat(failed).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failed).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
    assertThat(failed.getMessage()).contains("nobody.answers");
    assertThat(held).hasSize(1);
    onContext(v -> {
      held.get(0).reply("too late");
      return Future.succeededFuture();
    });
  }

  @Test
  @DisplayName("a send expects no answer, and replying to it is ignored; sends arrive in order")
  void sends() throws Exception {
    List<Integer> got = new ArrayList<>();
    onContext(v -> {
      Promise<Void> done = Promise.promise();
      for (int i = 0; i < 5; i++) {
        LocalMessage.send(context, "s", i, m -> {
          assertThat(m.replyAddress()).isNull();
          m.reply("ignored");
          got.add(m.body());
          if (got.size() == 5) {
            done.complete();
          }
        });
      }
      return done.future();
    });
    assertThat(got).containsExactly(0, 1, 2, 3, 4);
  }
}
