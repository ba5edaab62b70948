package io.tollgate.admin.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tollgate.admin.http.AdminJson;
import io.tollgate.api.Redact;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Admin-action records of the audit log ({@code audit_admin}): who did what to which target, the
 * target before and after as JSON, written in the transaction of the change itself, so a change
 * without its record (or a record without its change) cannot commit. Secrets are redacted before
 * the JSON is stored: fields that hold one are replaced, upstream credentials are kept only when
 * they are references ({@code ${ENV}}, {@code file:}), and every other string goes through
 * {@link Redact#secrets}.
 */
public final class AdminAudit {

  /** Who made a change: the admin token carries no identity, so every API call is "admin". */
  public static final String ADMIN = "admin";
  /** Changes made by the admin node itself at start (the seed config file, sealing literal keys). */
  public static final String STARTUP = "startup";
  /** The gateway itself: a key that froze itself after too many bad signatures. */
  public static final String GATEWAY = "gateway";
  public static final String TABLE = "audit_admin";

  /** Fields whose value is a secret or derived from one, whatever it looks like. */
  static final Set<String> SECRET_FIELDS = Set.of("key", "secret", "secret_hash", "secretHash", "signing_secret",
      "signingSecret", "password", "token");
  /** Credential fields kept only when they are a reference, never a value. */
  static final Set<String> CREDENTIAL_FIELDS = Set.of("api_key", "apiKey");

  /** One change: {@code before} null for a creation, {@code after} null for a deletion. */
  public record Action(String action, String targetKind, String targetId, String tenantId, Object before,
                       Object after) {
  }

  private AdminAudit() {
  }

  /** Writes the transaction's records (none: nothing to do), creating today's partition if needed. */
  static Future<Void> write(SqlConnection conn, String actor, List<Action> actions) {
    if (actions.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(actions.size());
    for (Action a : actions) {
      rows.add(Tuple.from(new Object[] {"adm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
          actor, a.action(), a.targetKind(), a.targetId(), a.tenantId(), json(a.before()), json(a.after())}));
    }
    // now() is the transaction's start: the partition and the rows agree on the day.
    return conn.query("SELECT tollgate_day_partition('" + TABLE + "', (now() AT TIME ZONE 'UTC')::date)").execute()
        .compose(v -> conn.preparedQuery("INSERT INTO " + TABLE + " (id, at, actor, action, target_kind, target_id, "
            + "tenant_id, before, after) VALUES ($1, now(), $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb)")
            .executeBatch(rows))
        .mapEmpty();
  }

  /** The value as redacted JSON text; null stays null. */
  static String json(Object value) {
    if (value == null) {
      return null;
    }
    return AdminJson.text(redacted(AdminJson.JSON.valueToTree(value)));
  }

  static JsonNode redacted(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(Redact.secrets(node.textValue()));
    }
    if (node.isArray()) {
      ArrayNode out = AdminJson.JSON.createArrayNode();
      node.forEach(n -> out.add(redacted(n)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = AdminJson.JSON.createObjectNode();
      node.fields().forEachRemaining(f -> {
        JsonNode v = f.getValue();
        if (v.isNull()) {
          out.set(f.getKey(), v);
        } else if (SECRET_FIELDS.contains(f.getKey())) {
          out.put(f.getKey(), Redact.MARK);
        } else if (CREDENTIAL_FIELDS.contains(f.getKey())) {
          out.put(f.getKey(), reference(v.asText()) ? v.asText() : Redact.MARK);
        } else {
          out.set(f.getKey(), redacted(v));
        }
      });
      return out;
    }
    return node;
  }

  /** {@code ${ENV}} or {@code file:/path}: names where a secret is, not the secret. */
  private static boolean reference(String value) {
    String v = value.trim();
    return (v.startsWith("${") && v.endsWith("}")) || v.startsWith("file:");
  }
}
