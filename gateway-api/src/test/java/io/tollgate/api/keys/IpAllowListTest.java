package io.tollgate.api.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("IP allow-list: client addresses against addresses and CIDR blocks")
class IpAllowListTest {

  @Test
  @DisplayName("an empty list allows every client, even one without a parsable address")
  void emptyAllowsAll() {
    assertThat(IpAllowList.allows(List.of(), "203.0.113.7")).isTrue();
    assertThat(IpAllowList.allows(List.of(), "2001:db8::1")).isTrue();
    assertThat(IpAllowList.allows(List.of(), "garbage")).isTrue();
  }

  @ParameterizedTest(name = "{0} allows {1}: {2}")
  @DisplayName("single rules")
  @CsvSource({
      "203.0.113.7,       203.0.113.7,   true",
      "203.0.113.7,       203.0.113.8,   false",
      "10.0.0.0/8,        10.255.1.2,    true",
      "10.0.0.0/8,        11.0.0.1,      false",
      "192.168.1.0/24,    192.168.1.254, true",
      "192.168.1.0/24,    192.168.2.1,   false",
      "192.168.1.77/32,   192.168.1.77,  true",
      "192.168.1.77/32,   192.168.1.76,  false",
      "172.16.0.0/12,     172.31.255.255, true",
      "172.16.0.0/12,     172.32.0.0,    false",
      "0.0.0.0/0,         198.51.100.1,  true",
      "2001:db8::1,       2001:db8::1,   true",
      "2001:db8::1,       2001:db8:0:0:0:0:0:1, true",
      "2001:db8::1,       2001:db8::2,   false",
      "2001:db8:1:2::/64, 2001:db8:1:2:ffff:ee:dd:cc, true",
      "2001:db8:1:2::/64, 2001:db8:1:3::1, false",
      "2001:db8::/64,     10.0.0.1,      false",
      "10.0.0.0/8,        2001:db8::1,   false",
      "127.0.0.1,         localhost,     false",
      "127.0.0.0/8,       localhost,     false",
      "10.0.0.0/8,        not-an-ip,     false",
      "10.0.0.0/8,        '',            false",
  })
  void rule(String rule, String client, boolean allowed) {
    assertThat(IpAllowList.allows(List.of(rule), client)).isEqualTo(allowed);
  }

  @Test
  @DisplayName("a client matching any one of several rules is allowed")
  void anyRule() {
    List<String> rules = List.of("10.0.0.0/8", "2001:db8::/32", "198.51.100.9");
    assertThat(IpAllowList.allows(rules, "198.51.100.9")).isTrue();
    assertThat(IpAllowList.allows(rules, "2001:db8:abcd::1")).isTrue();
    assertThat(IpAllowList.allows(rules, "10.1.2.3")).isTrue();
    assertThat(IpAllowList.allows(rules, "198.51.100.10")).isFalse();
  }

  @Test
  @DisplayName("an IPv4-mapped IPv6 client address (dual-stack listener) matches IPv4 rules")
  void mappedIpv4() {
    assertThat(IpAllowList.allows(List.of("10.0.0.0/8"), "::ffff:10.1.2.3")).isTrue();
    assertThat(IpAllowList.allows(List.of("10.0.0.0/8"), "::ffff:11.1.2.3")).isFalse();
  }

  @Test
  @DisplayName("a null client address is refused")
  void nullClient() {
    assertThat(IpAllowList.allows(List.of("10.0.0.0/8"), null)).isFalse();
  }

  @Test
  @DisplayName("a hostname rule is never resolved, so it matches nothing")
  void hostnameRule() {
    assertThat(IpAllowList.allows(List.of("localhost"), "127.0.0.1")).isFalse();
  }

  @ParameterizedTest(name = "rule {0} matches nothing")
  @DisplayName("rules that are not literal addresses or carry a bad prefix match nothing, and ask no DNS server")
  @CsvSource({"cafe", "dead.beef", "localhost", "10.1", "10.0.0.0/x", "10.0.0.0/-1", "10.0.0.0/999", "10.0.0.0/33",
      "2001:db8::/129", "10.0.0.0/"})
  void malformedRulesMatchNothing(String rule) {
    assertThat(IpAllowList.allows(List.of(rule), "10.0.0.1")).isFalse();
    assertThat(IpAllowList.allows(List.of(rule), "202.254.0.1")).isFalse();
  }

  @Test
  @DisplayName("valid() accepts exactly the rules that can match")
  void validity() {
    assertThat(List.of("10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "2001:db8::1", "2001:db8::/32"))
        .allSatisfy(rule -> assertThat(IpAllowList.valid(rule)).as(rule).isTrue());
    assertThat(List.of("cafe", "localhost", "10.1", "10.0.0.0/33", "10.0.0.0/x", "", "2001:db8::/129"))
        .allSatisfy(rule -> assertThat(IpAllowList.valid(rule)).as(rule).isFalse());
  }
}
