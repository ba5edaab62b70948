package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tollgate.edge.format.openai.OpenAiChatFormat;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.traffic.TokenEstimator;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the chat body parser with whatever a client might send. In the normal build only the
 * seeds under {@code ChatRequestParserFuzzTestInputs/} run; {@code JAZZER_FUZZ=1} fuzzes (see the
 * README).
 */
@DisplayName("The chat request parser under fuzzing")
class ChatRequestParserFuzzTest {

  /**
   * Heap a parse may take: a fixed allowance plus a multiple of the body's size (a JSON tree costs
   * a few dozen bytes per input byte). A parser that allocated by a number in the body (n,
   * max_tokens) or without bound would pass it at once.
   */
  private static final long FIXED_ALLOWANCE = 4L << 20;
  private static final long PER_INPUT_BYTE = 256;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @BeforeAll
  static void warmUp() {
    // Class loading and Jackson's first use allocate once; that is not the parse's cost.
    OpenAiChatFormat.INSTANCE.parse(Buffer.buffer("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  }

  /**
   * Properties: a body is either a request or a GatewayException with a 4xx code (never another
   * exception, which the edge would answer with a 500); an accepted request asks for a bounded
   * number of choices, and what the edge does next with it (the token estimate for admission)
   * does not fail; a parse is bounded in time (the timeout, also Jazzer's per-input timeout when
   * fuzzing) and in heap.
   */
  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"\"model\":", "\"messages\":", "\"role\":", "\"content\":", "\"user\"", "\"assistant\"",
      "\"tool\"", "\"system\"", "\"stream\":", "\"stream_options\":", "\"include_usage\":", "\"max_tokens\":",
      "\"max_completion_tokens\":", "\"temperature\":", "\"top_p\":", "\"n\":", "\"stop\":", "\"name\":",
      "\"tool_calls\":", "\"tool_call_id\":", "\"tools\":", "\"text\":", "\"image_url\":", "true", "false", "null",
      "2147483647", "2147483648", "-1", "1e309", "{", "}", "[", "]", ",", ":", "\"\\u0000\""})
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("answers any body with a request or a 4xx GatewayException, in bounded time and heap")
  void parse(byte[] body) {
    long budget = FIXED_ALLOWANCE + PER_INPUT_BYTE * body.length;
    long allocated = run(body);
    if (allocated > budget) {
      // The first body down a new path loads (and, fuzzing, instruments) classes: judge a rerun.
      allocated = run(body);
    }
    assertThat(allocated).as("bytes allocated for a body of %d bytes", body.length).isLessThanOrEqualTo(budget);
  }

  private static long run(byte[] body) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      ChatRequest chat = OpenAiChatFormat.INSTANCE.parse(Buffer.buffer(body));
      assertThat(chat.choices()).isBetween(1, OpenAiChatFormat.MAX_CHOICES);
      assertThat(TokenEstimator.estimate(chat, 4096)).isPositive();
    } catch (GatewayException e) {
      assertThat(e.code().status()).as("status of %s", e.code()).isBetween(400, 499);
    }
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
