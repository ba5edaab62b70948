package io.tollgate.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.tollgate.admin.AdminErrors;
import io.tollgate.api.GatewayException;
import io.tollgate.api.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler of the admin server: turns whatever failed (a typed error, a Jackson
 * error naming a field, a Postgres error, a lost database) into the OpenAI error envelope.
 */
public final class Failures {

  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  /** Unique constraints of the schema, as a client would say them. */
  private static final Map<String, String[]> CONFLICTS = Map.of(
      "tenants_name_key", new String[] {"a tenant with this name already exists", "name"},
      "api_keys_tenant_id_name_key", new String[] {"this tenant already has a key with this name", "name"},
      "models_pkey", new String[] {"a model with this name already exists", "name"},
      "model_names_pkey", new String[] {"a model name or alias is already used by a model", "aliases"},
      "model_deployments_pkey", new String[] {"a deployment id is already used by a model", "deployments"});

  private Failures() {
  }

  public static void handle(RoutingContext ctx) {
    GatewayException error = ctx.failure() != null ? toError(ctx.failure()) : byStatus(ctx.statusCode());
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    JsonObject body = new JsonObject().put("error", new JsonObject()
        .put("message", error.getMessage())
        .put("type", error.code().type())
        .put("code", error.code().code())
        .put("param", error.param()));
    ctx.response().setStatusCode(error.code().status())
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }

  static GatewayException byStatus(int status) {
    return switch (status) {
      case 401 -> AdminErrors.of(ErrorCode.INVALID_API_KEY, "missing or wrong admin token", null);
      case 404 -> AdminErrors.notFound("no such admin endpoint");
      case 405 -> AdminErrors.of(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this endpoint", null);
      case 413 -> AdminErrors.of(ErrorCode.BODY_TOO_LARGE, "request body too large", null);
      case 415 -> AdminErrors.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content type", null);
      case 400 -> AdminErrors.badRequest("bad request", null);
      default -> AdminErrors.of(ErrorCode.INTERNAL, "internal error", null);
    };
  }

  public static GatewayException toError(Throwable t) {
    if (t instanceof GatewayException a) {
      return a;
    }
    if (t instanceof UncheckedIOException u && u.getCause() instanceof JsonProcessingException j) {
      return fromJackson(j);
    }
    if (t instanceof UncheckedIOException u && u.getCause() instanceof CharConversionException c) {
      // Jackson guesses UTF-16/32 from a body's first bytes and reports bad code units this way.
      return AdminErrors.invalidJson("malformed request body: " + c.getMessage());
    }
    if (t instanceof GatewayException g) {
      return AdminErrors.of(g.code(), g.getMessage(), g.param());
    }
    if (t instanceof JsonProcessingException j) {
      return fromJackson(j);
    }
    if (t instanceof PgException pg) {
      return fromPostgres(pg);
    }
    if (t instanceof ClosedConnectionException || t instanceof IOException || t instanceof TimeoutException) {
      return AdminErrors.unavailable("the config database is unavailable: " + t.getMessage());
    }
    if (t.getClass().getName().startsWith("io.vertx.core.impl.NoStackTrace")
        || t.getClass().getName().contains("Timeout")) {
      return AdminErrors.unavailable("the config database is unavailable: " + t.getMessage());
    }
    LOG.error("admin request failed", t);
    return AdminErrors.of(ErrorCode.INTERNAL, "internal error", null);
  }

  private static GatewayException fromJackson(JsonProcessingException e) {
    // A parse error met while binding arrives wrapped in a mapping error: still malformed input.
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StreamReadException s) {
        return AdminErrors.invalidJson("malformed request body: " + s.getOriginalMessage());
      }
    }
    String param = e instanceof JsonMappingException m ? path(m) : null;
    if (e instanceof UnrecognizedPropertyException u) {
      return AdminErrors.badRequest("unknown field '" + param + "'", param);
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return AdminErrors.badRequest(v.getCause().getMessage(), param);
    }
    return AdminErrors.badRequest((param == null ? "" : "'" + param + "': ") + e.getOriginalMessage(), param);
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  private static GatewayException fromPostgres(PgException e) {
    String state = e.getSqlState() == null ? "" : e.getSqlState();
    if (state.equals("23505")) {
      String[] conflict = CONFLICTS.getOrDefault(e.getConstraint(), new String[] {"already exists", null});
      return AdminErrors.conflict(conflict[0], conflict[1]);
    }
    if (state.startsWith("22") || state.startsWith("54")) {
      // Data exception or program limit: a value the client sent that the database cannot take
      // (a name too long for its unique index, a character it cannot store). Theirs to fix.
      return AdminErrors.badRequest("the database cannot store a value of this request: " + e.getErrorMessage(), null);
    }
    if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
      return AdminErrors.unavailable("the config database is unavailable: " + e.getErrorMessage());
    }
    LOG.error("config database error {}", state, e);
    return AdminErrors.of(ErrorCode.INTERNAL, "internal error", null);
  }
}
