package io.tollgate.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.edge.EdgeOptions.ForwardedHeader;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Client address: forwarding headers believed only from trusted proxies")
class ClientAddressTest {

  static final List<String> PROXIES = List.of("10.0.0.0/8", "2001:db8:ffff::/48");
  static final ClientAddress XFF = new ClientAddress(PROXIES, ForwardedHeader.X_FORWARDED_FOR);
  static final ClientAddress RFC7239 = new ClientAddress(PROXIES, ForwardedHeader.FORWARDED);

  @Test
  @DisplayName("with no trusted proxies configured, the headers are ignored and the peer is the client")
  void noneTrusted() {
    ClientAddress none = new ClientAddress(List.of(), ForwardedHeader.X_FORWARDED_FOR);
    assertThat(none.resolve("10.1.1.1", List.of("203.0.113.7"))).isEqualTo("10.1.1.1");
  }

  @Test
  @DisplayName("a spoofed header from an untrusted peer is ignored")
  void untrustedPeer() {
    assertThat(XFF.resolve("198.51.100.9", List.of("203.0.113.7"))).isEqualTo("198.51.100.9");
    assertThat(RFC7239.resolve("198.51.100.9", List.of("for=203.0.113.7"))).isEqualTo("198.51.100.9");
  }

  @Test
  @DisplayName("a trusted peer without the header: the peer is the client")
  void trustedPeerNoHeader() {
    assertThat(XFF.resolve("10.1.1.1", List.of())).isEqualTo("10.1.1.1");
  }

  @ParameterizedTest(name = "{0} via {1} -> {2}")
  @DisplayName("X-Forwarded-For is walked from the right, skipping trusted hops; what the client wrote is ignored")
  @CsvSource(delimiter = '|', textBlock = """
      10.1.1.1 | 203.0.113.7                               | 203.0.113.7
      10.1.1.1 | 203.0.113.7, 10.2.2.2                     | 203.0.113.7
      10.1.1.1 | 1.1.1.1, 203.0.113.7, 10.2.2.2, 10.3.3.3  | 203.0.113.7
      10.1.1.1 | spoofed-garbage, 203.0.113.7               | 203.0.113.7
      10.1.1.1 | 203.0.113.7:51234                         | 203.0.113.7
      10.1.1.1 | 10.9.9.9, 10.8.8.8                        | 10.9.9.9
      10.1.1.1 | 2001:db8::7                               | 2001:db8::7
      10.1.1.1 | [2001:db8::7]:443, 2001:db8:ffff::1        | 2001:db8::7
      2001:db8:ffff::2 | 203.0.113.7                       | 203.0.113.7
      """)
  void xForwardedFor(String peer, String header, String client) {
    assertThat(XFF.resolve(peer, List.of(header))).isEqualTo(client);
  }

  @Test
  @DisplayName("several X-Forwarded-For header lines form one chain, in order")
  void severalLines() {
    assertThat(XFF.resolve("10.1.1.1", List.of("198.51.100.1", "203.0.113.7, 10.2.2.2"))).isEqualTo("203.0.113.7");
  }

  @ParameterizedTest(name = "{1}")
  @DisplayName("malformed entries where the walk needs an address give 'unknown', never the trusted peer")
  @CsvSource(delimiter = '|', textBlock = """
      10.1.1.1 | unknown
      10.1.1.1 | 203.0.113.7, not-an-ip
      10.1.1.1 | 203.0.113.7,
      10.1.1.1 | example.com
      10.1.1.1 | 203.0.113.7/24
      10.1.1.1 | 203.0.113.300
      10.1.1.1 | [2001:db8::7
      10.1.1.1 | 203.0.113.7:port
      """)
  void malformedXff(String peer, String header) {
    assertThat(XFF.resolve(peer, List.of(header))).isEqualTo(ClientAddress.UNKNOWN);
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("RFC 7239 Forwarded: for= of each element, quoted IPv6 with port, other parameters ignored")
  @CsvSource(delimiter = '|', textBlock = """
      for=203.0.113.7                                                | 203.0.113.7
      for=203.0.113.7;proto=https;by=10.1.1.1                        | 203.0.113.7
      For="[2001:db8:cafe::17]:4711"                                 | 2001:db8:cafe::17
      for=198.51.100.1, for=203.0.113.7;proto=http, for=10.2.2.2     | 203.0.113.7
      for=198.51.100.1, proto=http;for="203.0.113.7:80"             | 203.0.113.7
      for=_hidden, for=203.0.113.7                                   | 203.0.113.7
      for=203.0.113.7, for=unknown                                   | unknown
      for=203.0.113.7, proto=https                                   | unknown
      for=203.0.113.7, for=_hidden                                   | unknown
      for="[2001:db8::7";by=x                                        | unknown
      """)
  void forwarded(String header, String client) {
    assertThat(RFC7239.resolve("10.1.1.1", List.of(header))).isEqualTo(client);
  }

  @Test
  @DisplayName("each proxy header is read only when configured: X-Forwarded-For mode ignores Forwarded and back")
  void oneHeaderOnly() {
    // The same value read as the wrong header yields nothing usable: it never silently mixes both.
    assertThat(XFF.resolve("10.1.1.1", List.of("for=203.0.113.7"))).isEqualTo(ClientAddress.UNKNOWN);
    assertThat(RFC7239.resolve("10.1.1.1", List.of("203.0.113.7"))).isEqualTo(ClientAddress.UNKNOWN);
  }
}
