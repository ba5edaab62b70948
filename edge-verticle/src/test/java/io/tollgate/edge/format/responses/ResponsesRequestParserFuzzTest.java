package io.tollgate.edge.format.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tollgate.api.GatewayException;
import io.tollgate.edge.format.JsonFields;
import io.tollgate.traffic.TokenEstimator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the Responses body parser. In the normal build only the seeds under
 * {@code ResponsesRequestParserFuzzTestInputs/} run; {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
@DisplayName("The Responses request parser under fuzzing")
class ResponsesRequestParserFuzzTest {

  /**
   * A body is either a request whose token estimate works, or a GatewayException with a 4xx code
   * (never another exception, which the edge would answer with a 500).
   */
  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"\"model\":", "\"input\":", "\"instructions\":", "\"role\":", "\"content\":", "\"type\":",
      "\"message\"", "\"function_call\"", "\"function_call_output\"", "\"reasoning\"", "\"input_text\"",
      "\"input_image\"", "\"image_url\":", "\"call_id\":", "\"arguments\":", "\"output\":", "\"tools\":",
      "\"tool_choice\":", "\"text\":", "\"format\":", "\"store\":", "\"previous_response_id\":", "true", "false",
      "null", "{", "}", "[", "]", ",", ":"})
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName("answers any body with a request or a 4xx GatewayException")
  void parse(byte[] body) {
    try {
      ResponsesRequest r = ResponsesRequestParser.parse(JsonFields.object(Buffer.buffer(body)), new JsonArray());
      assertThat(TokenEstimator.estimate(r.chat(), 4096)).isPositive();
    } catch (GatewayException e) {
      assertThat(e.code().status()).as("status of %s", e.code()).isBetween(400, 499);
    }
  }
}
