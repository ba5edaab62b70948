package io.tollgate.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** OpenAI wire-format fixtures under src/test/resources/fixtures. */
public final class Fixtures {

  private Fixtures() {
  }

  public static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The events of an SSE fixture, each without its terminating blank line. */
  public static List<String> events(String name) {
    return Arrays.stream(text(name).split("\n\n")).filter(e -> !e.isBlank()).toList();
  }
}
