package io.tollgate.api.trace;

/**
 * A W3C trace context as it travels on the event bus and on to the upstream: the values of the
 * {@code traceparent} and {@code tracestate} headers, as strings. Carrying the strings (not a
 * parsed context) is what lets a node with tracing off pass the client's context through without
 * parsing it.
 *
 * @param traceparent {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}; never null
 * @param tracestate  vendor entries, passed on unchanged; null when the client sent none
 */
public record TraceContext(String traceparent, String tracestate) {

  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";
  /** Longest tracestate passed on (the W3C limit is 32 entries of at most 256 characters each). */
  static final int MAX_TRACESTATE = 8_192;

  public TraceContext {
    if (traceparent == null) {
      throw new IllegalArgumentException("traceparent is required");
    }
  }

  /**
   * The context of a client's headers, or null without a {@code traceparent}. Nothing is parsed:
   * a malformed value is passed on as the client wrote it (the upstream ignores what it cannot
   * read, as a tracing edge does), only an oversized one is dropped.
   */
  public static TraceContext fromHeaders(String traceparent, String tracestate) {
    if (traceparent == null || traceparent.length() > 256) {
      return null;
    }
    return new TraceContext(traceparent, tracestate == null || tracestate.length() > MAX_TRACESTATE ? null
        : tracestate);
  }

  /**
   * The 32-hex-digit trace id if {@code traceparent} is well formed (version 00 layout, not all
   * zeros), else null. One substring: cheap enough for the access log with tracing off.
   */
  public String traceId() {
    String p = traceparent;
    if (p.length() < 55 || p.charAt(2) != '-' || p.charAt(35) != '-' || p.charAt(52) != '-') {
      return null;
    }
    boolean nonZero = false;
    for (int i = 3; i < 35; i++) {
      char c = p.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
      nonZero |= c != '0';
    }
    return nonZero ? p.substring(3, 35) : null;
  }
}
