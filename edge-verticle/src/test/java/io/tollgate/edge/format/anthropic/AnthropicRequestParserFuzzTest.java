package io.tollgate.edge.format.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tollgate.api.GatewayException;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.Dialect;
import io.tollgate.traffic.TokenEstimator;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the Anthropic Messages body parser. In the normal build only the seeds under
 * {@code AnthropicRequestParserFuzzTestInputs/} run; {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
@DisplayName("The Anthropic request parser under fuzzing")
class AnthropicRequestParserFuzzTest {

  /** As for the OpenAI chat parser: a fixed allowance plus a multiple of the body's size. */
  private static final long FIXED_ALLOWANCE = 4L << 20;
  private static final long PER_INPUT_BYTE = 256;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @BeforeAll
  static void warmUp() {
    AnthropicFormat.INSTANCE.parse(Buffer.buffer(
        "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
  }

  /**
   * Properties: a body is either an Anthropic-dialect request or a GatewayException with a 4xx
   * code (never another exception, which the edge would answer with a 500); what the edge does
   * next with an accepted request (the admission estimate, a writer's message_start) does not
   * fail; a parse is bounded in time and heap.
   */
  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"\"model\":", "\"max_tokens\":", "\"messages\":", "\"role\":", "\"content\":", "\"user\"",
      "\"assistant\"", "\"system\":", "\"type\":", "\"text\"", "\"text\":", "\"image\"", "\"source\":", "\"base64\"",
      "\"url\"", "\"media_type\":", "\"data\":", "\"tool_use\"", "\"tool_result\"", "\"tool_use_id\":", "\"input\":",
      "\"is_error\":", "\"thinking\"", "\"thinking\":", "\"signature\":", "\"redacted_thinking\"", "\"tools\":",
      "\"input_schema\":", "\"tool_choice\":", "\"any\"", "\"cache_control\":", "\"ephemeral\"", "\"budget_tokens\":",
      "\"enabled\"", "\"metadata\":", "\"user_id\":", "\"stop_sequences\":", "true", "false", "null", "2147483648",
      "-1", "1e309", "{", "}", "[", "]", ",", ":"})
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
      ChatRequest chat = AnthropicFormat.INSTANCE.parse(Buffer.buffer(body));
      assertThat(chat.dialect()).isEqualTo(Dialect.ANTHROPIC);
      assertThat(chat.maxTokens()).isPositive();
      assertThat(TokenEstimator.estimate(chat, 4096)).isPositive();
      assertThat(AnthropicFormat.INSTANCE.answer("r", chat).streamStart().length()).isPositive();
    } catch (GatewayException e) {
      assertThat(e.code().status()).as("status of %s", e.code()).isBetween(400, 499);
    }
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
