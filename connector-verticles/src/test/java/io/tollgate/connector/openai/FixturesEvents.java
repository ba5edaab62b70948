package io.tollgate.connector.openai;

import io.tollgate.connector.Fixtures;
import java.util.stream.Collectors;

/** Leading events of an SSE fixture, as wire text. */
final class FixturesEvents {

  private FixturesEvents() {
  }

  static String first(String fixture, int events) {
    return Fixtures.events(fixture).stream().limit(events).map(e -> e + "\n\n").collect(Collectors.joining());
  }
}
