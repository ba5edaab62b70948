package io.tollgate.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.api.config.EgressPolicy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Remembered egress verdicts: the policy's own answers, bounded")
class EgressVerdictsTest {

  @Test
  @DisplayName("allowed and refused URLs get the policy's verdict, the first time and from memory")
  void sameAsThePolicy() {
    EgressPolicy policy = EgressPolicy.DEFAULTS;
    EgressVerdicts verdicts = new EgressVerdicts(policy);
    for (String url : new String[] {"http://127.0.0.1:8080/v1", "http://169.254.169.254/latest", "https://api.openai.com/v1",
        "http://metadata.google.internal/", "not a url at all"}) {
      assertThat(verdicts.refusal(url)).as(url).isEqualTo(policy.check(url));
      assertThat(verdicts.refusal(url)).as(url + " again").isEqualTo(policy.check(url));
    }
    assertThat(verdicts.refusal("http://169.254.169.254/latest")).isNotNull();
    assertThat(verdicts.refusal("http://127.0.0.1:8080/v1")).isNull();
  }

  @Test
  @DisplayName("a connected peer's address gets the policy's verdict on its literal; a name or nothing is allowed")
  void addresses() throws Exception {
    EgressPolicy strict = new EgressPolicy(false, false, false, null);
    EgressVerdicts verdicts = new EgressVerdicts(strict);
    for (String ip : new String[] {"127.0.0.1", "10.1.2.3", "169.254.169.254", "93.184.216.34", "::1"}) {
      String expected = strict.checkAddress(java.net.InetAddress.getByName(ip));
      assertThat(verdicts.addressRefusal(ip)).as(ip).isEqualTo(expected);
      assertThat(verdicts.addressRefusal(ip)).as(ip + " again").isEqualTo(expected);
    }
    assertThat(verdicts.addressRefusal("127.0.0.1")).isNotNull();
    assertThat(verdicts.addressRefusal("93.184.216.34")).isNull();
    assertThat(verdicts.addressRefusal(null)).isNull();
    assertThat(verdicts.addressRefusal("not-an-ip")).isNull();
  }

  @Test
  @DisplayName("more distinct URLs than the bound still get right answers")
  void bounded() {
    EgressVerdicts verdicts = new EgressVerdicts(EgressPolicy.DEFAULTS);
    for (int i = 0; i < EgressVerdicts.MAX_ENTRIES * 3; i++) {
      assertThat(verdicts.refusal("http://127.0.0.1:" + (1000 + i) + "/v1")).isNull();
    }
    assertThat(verdicts.refusal("http://169.254.169.254/")).isNotNull();
  }
}
