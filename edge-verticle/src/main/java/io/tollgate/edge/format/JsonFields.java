package io.tollgate.edge.format;

import io.tollgate.api.ErrorCode;
import io.tollgate.api.GatewayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading request bodies with errors that name the field, shared by every inbound format: the
 * messages follow OpenAI's wording ("Invalid value for 'x': ..."), which Anthropic's SDKs show as
 * well as OpenAI's do.
 */
public final class JsonFields {

  private JsonFields() {
  }

  /** The body as a JSON object, or the 400 that says what is wrong with it. */
  public static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new GatewayException(ErrorCode.INVALID_JSON, "We could not parse the JSON body of your request: it is empty.");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new GatewayException(ErrorCode.INVALID_JSON,
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)");
    }
    if (!(parsed instanceof JsonObject json)) {
      throw new GatewayException(ErrorCode.INVALID_REQUEST, "The request body must be a JSON object.");
    }
    return json;
  }

  public static List<String> stop(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof JsonArray a) {
      List<String> out = new ArrayList<>(a.size());
      for (Object o : a) {
        if (!(o instanceof String s)) {
          throw invalid("stop", "must be a string or an array of strings");
        }
        out.add(s);
      }
      return out;
    }
    throw invalid("stop", "must be a string or an array of strings");
  }

  public static String string(JsonObject json, String field, boolean required) {
    Object v = json.getValue(field);
    if (v == null) {
      if (required) {
        throw invalid(field, "is required");
      }
      return null;
    }
    if (!(v instanceof String s) || (required && s.isBlank())) {
      throw invalid(field, "must be a non-empty string");
    }
    return s;
  }

  public static boolean bool(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw invalid(field, "must be a boolean");
    }
    return b;
  }

  public static Integer positiveInt(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    // Range-checked as a double: longValue() of a BigInteger past 64 bits keeps only its low bits.
    if (!(v instanceof Number num) || num.doubleValue() != Math.rint(num.doubleValue()) || num.doubleValue() < 1
        || num.doubleValue() > Integer.MAX_VALUE) {
      throw invalid(field, "must be a positive integer");
    }
    return num.intValue();
  }

  public static Double number(JsonObject json, String field, double min, double max) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number num) || num.doubleValue() < min || num.doubleValue() > max) {
      throw invalid(field, "must be a number between " + min + " and " + max);
    }
    return num.doubleValue();
  }

  public static GatewayException invalid(String field, String problem) {
    return new GatewayException(ErrorCode.INVALID_REQUEST, "Invalid value for '" + field + "': " + problem + ".", field);
  }
}
