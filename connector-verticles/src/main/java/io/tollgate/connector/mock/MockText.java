package io.tollgate.connector.mock;

/**
 * The mock's deterministic answer, one token per chunk: {@code "Tollgate"}, {@code " mock"},
 * {@code " reply"}, then {@code " 0"}, {@code " 1"}, {@code " 2"} ... so a reply of k tokens reads
 * "Tollgate mock reply 0 1 ... (k-4)" and a test can predict every chunk.
 */
public final class MockText {

  private static final String[] PREFIX = {"Tollgate", " mock", " reply"};

  private MockText() {
  }

  /** Token {@code i} (0-based) of the reply. */
  public static String token(int i) {
    return i < PREFIX.length ? PREFIX[i] : " " + (i - PREFIX.length);
  }

  /** The whole reply of {@code tokens} tokens. */
  public static String reply(int tokens) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      sb.append(token(i));
    }
    return sb.toString();
  }
}
