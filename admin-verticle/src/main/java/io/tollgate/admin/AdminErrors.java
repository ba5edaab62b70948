package io.tollgate.admin;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;

/** The admin API's expected failures, as the gateway's own {@link GatewayException}s. */
public final class AdminErrors {

  private AdminErrors() {
  }

  public static GatewayException of(ErrorCode code, String message, String param) {
    return new GatewayException(code, message, param);
  }

  public static GatewayException badRequest(String message, String param) {
    return of(ErrorCode.INVALID_REQUEST, message, param);
  }

  public static GatewayException invalidJson(String message) {
    return of(ErrorCode.INVALID_JSON, message, null);
  }

  public static GatewayException notFound(String message) {
    return of(ErrorCode.NOT_FOUND, message, null);
  }

  public static GatewayException conflict(String message, String param) {
    return of(ErrorCode.CONFLICT, message, param);
  }

  public static GatewayException unavailable(String message) {
    return of(ErrorCode.SERVICE_UNAVAILABLE, message, null);
  }
}
