package io.tollgate.api;

/**
 * Every failure the gateway can report. The edge maps a code to its HTTP status and to the
 * OpenAI error envelope {@code {"error":{"message","type","code","param"}}}; {@link #wire()} is
 * the failure code used in event-bus {@code ReplyException}s so the code survives a hop.
 */
public enum ErrorCode {
  INVALID_JSON(4000, 400, "invalid_request_error", "invalid_json", Side.CLIENT),
  INVALID_REQUEST(4001, 400, "invalid_request_error", "invalid_request", Side.CLIENT),
  MISSING_API_KEY(4002, 401, "invalid_request_error", "missing_api_key", Side.CLIENT),
  INVALID_API_KEY(4003, 401, "invalid_request_error", "invalid_api_key", Side.CLIENT),
  KEY_DISABLED(4004, 403, "permission_error", "key_disabled", Side.CLIENT),
  KEY_EXPIRED(4005, 403, "permission_error", "key_expired", Side.CLIENT),
  IP_NOT_ALLOWED(4006, 403, "permission_error", "ip_not_allowed", Side.CLIENT),
  MODEL_NOT_ALLOWED(4007, 403, "permission_error", "model_not_allowed", Side.CLIENT),
  NOT_FOUND(4008, 404, "invalid_request_error", "not_found", Side.CLIENT),
  MODEL_NOT_FOUND(4009, 404, "invalid_request_error", "model_not_found", Side.CLIENT),
  METHOD_NOT_ALLOWED(4010, 405, "invalid_request_error", "method_not_allowed", Side.CLIENT),
  /** Admin API: a name or id that must be unique already exists, or a delete would orphan data. */
  CONFLICT(4011, 409, "invalid_request_error", "conflict", Side.CLIENT),
  BODY_TOO_LARGE(4012, 413, "invalid_request_error", "request_too_large", Side.CLIENT),
  UNSUPPORTED_MEDIA_TYPE(4013, 415, "invalid_request_error", "unsupported_media_type", Side.CLIENT),
  RATE_LIMITED(4014, 429, "rate_limit_error", "rate_limit_exceeded", Side.CLIENT),
  INSUFFICIENT_QUOTA(4015, 429, "insufficient_quota", "insufficient_quota", Side.CLIENT),
  /** The upstream refused the request as malformed (4xx other than 401/403/429): not retried. */
  UPSTREAM_BAD_REQUEST(4016, 400, "invalid_request_error", "upstream_bad_request", Side.UPSTREAM),
  /** The upstream rejected the gateway's credential: a misconfigured deployment. */
  UPSTREAM_AUTH(4017, 502, "api_error", "upstream_auth_failed", Side.UPSTREAM),
  UPSTREAM_RATE_LIMITED(4018, 429, "rate_limit_error", "upstream_rate_limited", Side.UPSTREAM),
  UPSTREAM_ERROR(4019, 502, "api_error", "upstream_error", Side.UPSTREAM),
  UPSTREAM_UNREACHABLE(4020, 502, "api_error", "upstream_unreachable", Side.UPSTREAM),
  UPSTREAM_TIMEOUT(4021, 504, "timeout_error", "upstream_timeout", Side.UPSTREAM),
  NO_DEPLOYMENT_AVAILABLE(4022, 503, "api_error", "no_deployment_available", Side.GATEWAY),
  SERVICE_UNAVAILABLE(4023, 503, "api_error", "service_unavailable", Side.GATEWAY),
  GATEWAY_TIMEOUT(4024, 504, "timeout_error", "gateway_timeout", Side.GATEWAY),
  CANCELLED(4025, 499, "api_error", "cancelled", Side.CLIENT),
  INTERNAL(4026, 500, "api_error", "internal_error", Side.GATEWAY),
  /**
   * The upstream said it is overloaded (Anthropic's 529 {@code overloaded_error}, OpenAI's 503):
   * a failover reason; OpenAI-format clients get 503, Anthropic-format clients 529.
   */
  UPSTREAM_OVERLOADED(4027, 503, "api_error", "upstream_overloaded", Side.UPSTREAM),
  /**
   * The connector's connection pool to the upstream is full, and so is its queue of waiters: the
   * gateway's own capacity ({@code http_pool_size}, {@code http_pool_queue}), not the deployment's
   * fault. Answered at once, not failed over and not held against the deployment, so a burst does
   * not turn into a failover storm that opens every breaker.
   */
  UPSTREAM_POOL_EXHAUSTED(4028, 503, "api_error", "upstream_pool_exhausted", Side.GATEWAY),
  /**
   * No deployment of the model can serve the request: it needs a capability (tools, vision,
   * streaming, embeddings ...) none of them declares. A 400 naming the capability, not a 503:
   * retrying cannot help, the request or the configuration must change.
   */
  CAPABILITY_NOT_SUPPORTED(4060, 400, "invalid_request_error", "capability_not_supported", Side.CLIENT),
  /** An external-channel key sent no (or an incomplete set of) x-tollgate-timestamp, -nonce, -signature headers. */
  SIGNATURE_MISSING(4075, 401, "invalid_request_error", "signature_missing", Side.CLIENT),
  /** The HMAC of the request does not match its x-tollgate-signature. */
  SIGNATURE_INVALID(4076, 401, "invalid_request_error", "signature_invalid", Side.CLIENT),
  /** x-tollgate-timestamp is further from the gateway's clock than the channel's window. */
  TIMESTAMP_OUT_OF_WINDOW(4077, 401, "invalid_request_error", "timestamp_out_of_window", Side.CLIENT),
  /** x-tollgate-nonce was seen already (a replay), anywhere in the cluster. */
  NONCE_REUSED(4078, 401, "invalid_request_error", "nonce_reused", Side.CLIENT),
  /** The key froze itself after too many bad signatures; an admin unfreezes it. */
  KEY_FROZEN(4079, 403, "permission_error", "key_frozen", Side.CLIENT);

  /** Which side of the gateway a failure belongs to; said in errors and outcomes. */
  public enum Side { CLIENT, GATEWAY, UPSTREAM }

  private static final java.util.Map<Integer, ErrorCode> BY_WIRE = byWire();

  private final int wire;
  private final int status;
  private final String type;
  private final String code;
  private final Side side;

  ErrorCode(int wire, int status, String type, String code, Side side) {
    this.wire = wire;
    this.status = status;
    this.type = type;
    this.code = code;
    this.side = side;
  }

  public int status() {
    return status;
  }

  /** OpenAI envelope {@code error.type}. */
  public String type() {
    return type;
  }

  /** OpenAI envelope {@code error.code}. */
  public String code() {
    return code;
  }

  public Side side() {
    return side;
  }

  /** Whether a router may try the next deployment after this failure (before any byte was sent). */
  public boolean retryable() {
    return switch (this) {
      case UPSTREAM_AUTH, UPSTREAM_RATE_LIMITED, UPSTREAM_ERROR, UPSTREAM_UNREACHABLE,
          UPSTREAM_TIMEOUT, UPSTREAM_OVERLOADED, SERVICE_UNAVAILABLE, NO_DEPLOYMENT_AVAILABLE -> true;
      default -> false;
    };
  }

  /**
   * Failure code for an event-bus {@code ReplyException}. Explicit and never reused: nodes of two
   * versions in one cluster must agree on it, so a new code takes the next free number and a
   * removed code's number stays retired (ErrorCodeTest pins them).
   */
  public int wire() {
    return wire;
  }

  /** The code behind a {@code ReplyException} failure code, or {@code null} if it is not ours. */
  public static ErrorCode fromWire(int wire) {
    return BY_WIRE.get(wire);
  }

  private static java.util.Map<Integer, ErrorCode> byWire() {
    java.util.Map<Integer, ErrorCode> map = new java.util.HashMap<>();
    for (ErrorCode c : values()) {
      if (map.put(c.wire, c) != null) {
        throw new ExceptionInInitializerError("duplicate wire code " + c.wire);
      }
    }
    return java.util.Map.copyOf(map);
  }
}
