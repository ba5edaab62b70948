package io.tollgate.edge.format.anthropic;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.vertx.core.json.JsonObject;

/**
 * Field readers with Anthropic's validation wording: {@code "<path>: <problem>"} where the path
 * is dotted with numeric indices ({@code messages.0.content.1.source.data}), as the Messages API
 * writes its own 400s; the path is also the error's {@code param}.
 */
final class AnthropicFields {

  private AnthropicFields() {
  }

  static GatewayException invalid(String field, String problem) {
    return new GatewayException(ErrorCode.INVALID_REQUEST, field + ": " + problem, field);
  }

  static GatewayException required(String field) {
    return invalid(field, "Field required");
  }

  static String string(JsonObject json, String key, String field, boolean required) {
    Object v = json.getValue(key);
    if (v == null) {
      if (required) {
        throw required(field);
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw invalid(field, "Input should be a valid string");
    }
    return s;
  }

  static Integer integer(JsonObject json, String key, String field, long min) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    // Range-checked as a double: longValue() of a BigInteger past 64 bits keeps only its low bits.
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw invalid(field, "Input should be a valid integer");
    }
    if (n.doubleValue() < min || n.doubleValue() > Integer.MAX_VALUE) {
      throw invalid(field, "Input should be greater than or equal to " + min);
    }
    return n.intValue();
  }

  static Double number(JsonObject json, String key, double min, double max) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw invalid(key, "Input should be a valid number");
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      throw invalid(key, "Input should be between " + fmt(min) + " and " + fmt(max));
    }
    return n.doubleValue();
  }

  static boolean bool(JsonObject json, String key, String field) {
    Object v = json.getValue(key);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw invalid(field, "Input should be a valid boolean");
    }
    return b;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
