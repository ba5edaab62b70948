package io.tollgate.admin;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;

/**
 * An expected admin API failure with its HTTP status and OpenAI-envelope fields. Stackless, like
 * {@link GatewayException}; it exists beside it because the shared {@link ErrorCode} has no 409.
 */
public final class AdminException extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;
  private final String param;

  public AdminException(int status, String type, String code, String message, String param) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
  }

  public static AdminException of(ErrorCode code, String message, String param) {
    return new AdminException(code.status(), code.type(), code.code(), message, param);
  }

  public static AdminException badRequest(String message, String param) {
    return of(ErrorCode.INVALID_REQUEST, message, param);
  }

  public static AdminException invalidJson(String message) {
    return of(ErrorCode.INVALID_JSON, message, null);
  }

  public static AdminException notFound(String message) {
    return of(ErrorCode.NOT_FOUND, message, null);
  }

  public static AdminException conflict(String message, String param) {
    return of(ErrorCode.CONFLICT, message, param);
  }

  public static AdminException unavailable(String message) {
    return of(ErrorCode.SERVICE_UNAVAILABLE, message, null);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }
}
