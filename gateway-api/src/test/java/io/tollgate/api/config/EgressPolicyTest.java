package io.tollgate.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Egress policy: which deployment base URLs connectors may call")
class EgressPolicyTest {

  private static final EgressPolicy DEFAULTS = EgressPolicy.DEFAULTS;

  @Test
  @DisplayName("by default public hosts, loopback and private ranges are allowed (local vLLM, Ollama)")
  void defaultsAllowCommonTargets() {
    for (String url : List.of("https://api.openai.com/v1", "https://myres.openai.azure.com",
        "http://127.0.0.1:8000/v1", "http://localhost:11434/v1", "http://10.0.0.5:8000", "http://192.168.1.20",
        "http://[::1]:8080", "https://generativelanguage.googleapis.com")) {
      assertThat(DEFAULTS.check(url)).as(url).isNull();
    }
    assertThat(DEFAULTS.check(null)).as("no base_url (a provider default)").isNull();
  }

  @Test
  @DisplayName("only http and https, without credentials in the URL")
  void schemes() {
    assertThat(DEFAULTS.check("file:///etc/passwd")).contains("http or https");
    assertThat(DEFAULTS.check("ftp://example.com")).contains("http or https");
    assertThat(DEFAULTS.check("gopher://127.0.0.1:6379/_")).contains("http or https");
    assertThat(DEFAULTS.check("https://user:pw@example.com")).contains("credentials");
    assertThat(DEFAULTS.check("https:///nohost")).contains("no host");
  }

  @Test
  @DisplayName("link-local and cloud metadata targets are refused unless allowed, in every spelling")
  void metadata() {
    for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://169.254.1.1",
        "http://[fd00:ec2::254]/latest", "http://[fe80::1]", "http://[::ffff:169.254.169.254]",
        "http://metadata.google.internal/computeMetadata/v1", "http://METADATA.GOOGLE.INTERNAL")) {
      assertThat(DEFAULTS.check(url)).as(url).isNotNull().contains("allow_link_local");
    }
    EgressPolicy allowing = new EgressPolicy(true, null, null, null);
    assertThat(allowing.check("http://169.254.169.254")).isNull();
    assertThat(allowing.check("http://[fd00:ec2::254]")).isNull();
  }

  @Test
  @DisplayName("numeric hosts in disguise (decimal, hex, leading zeros) are refused")
  void disguisedNumbers() {
    for (String url : List.of("http://2852039166/", "http://0177.0.0.1", "http://0251.0254.0251.0254")) {
      assertThat(DEFAULTS.check(url)).as(url).contains("non-standard form");
    }
    for (String url : List.of("http://0xa9.0xfe.0xa9.0xfe", "http://0251.0376.0251.0376")) {
      assertThat(DEFAULTS.check(url)).as(url + ": not even a host name to java.net.URI").isEqualTo("has no host");
    }
  }

  @Test
  @DisplayName("loopback and private ranges can be refused by config")
  void refusals() {
    EgressPolicy strict = new EgressPolicy(null, false, false, null);
    assertThat(strict.check("http://127.0.0.1:8000")).contains("allow_loopback");
    assertThat(strict.check("http://localhost:8000")).as("a name: judged by the connector once resolved").isNull();
    assertThat(strict.check("http://[::1]")).contains("allow_loopback");
    assertThat(strict.check("http://10.1.2.3")).contains("allow_private");
    assertThat(strict.check("http://172.20.0.1")).contains("allow_private");
    assertThat(strict.check("http://[fd12::1]")).contains("allow_private");
    assertThat(strict.check("https://api.openai.com")).isNull();
  }

  @Test
  @DisplayName("an allow-list admits only its hosts, with *.suffix for subdomains")
  void allowList() {
    EgressPolicy listed = new EgressPolicy(null, null, null, List.of("api.openai.com", "*.openai.azure.com"));
    assertThat(listed.check("https://api.openai.com/v1")).isNull();
    assertThat(listed.check("https://myres.openai.azure.com")).isNull();
    assertThat(listed.check("https://evil.example.com")).contains("allow_hosts");
    assertThat(listed.check("https://openai.azure.com.evil.example")).contains("allow_hosts");
  }

  @Test
  @DisplayName("resolved addresses are judged by the same ranges")
  void addresses() throws Exception {
    assertThat(DEFAULTS.checkAddress(InetAddress.getByAddress(new byte[] {(byte) 169, (byte) 254, (byte) 169,
        (byte) 254}))).contains("link-local");
    assertThat(DEFAULTS.checkAddress(InetAddress.getByAddress(new byte[] {8, 8, 8, 8}))).isNull();
    assertThat(EgressPolicy.literal("api.openai.com")).as("names are never resolved here").isNull();
  }
}
