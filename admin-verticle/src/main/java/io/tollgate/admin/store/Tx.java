package io.tollgate.admin.store;

import io.tollgate.api.config.ConfigEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * One writing transaction: its connection, the config versions it took, the events to publish
 * once it has committed and the admin-action records ({@link AdminAudit}) it commits with.
 */
public final class Tx {

  private final SqlConnection conn;
  private final List<ConfigEvent> events = new ArrayList<>();
  private final List<AdminAudit.Action> audits = new ArrayList<>();
  private final String actor;

  Tx(SqlConnection conn, String actor) {
    this.conn = conn;
    this.actor = actor;
  }

  /** Who the records of this transaction name ({@link AdminAudit#ADMIN} for API calls). */
  public String actor() {
    return actor;
  }

  /**
   * Records an admin action, written with this transaction. {@code before}/{@code after} are
   * serialised as the API shows them and redacted ({@link AdminAudit}).
   */
  public void audit(String action, String targetKind, String targetId, String tenantId, Object before, Object after) {
    audits.add(new AdminAudit.Action(action, targetKind, targetId, tenantId, before, after));
  }

  /** {@link #audit} for a chain of futures: records the action and answers {@code result}. */
  public <T> T audited(T result, String action, String targetKind, String targetId, String tenantId, Object before,
                       Object after) {
    audit(action, targetKind, targetId, tenantId, before, after);
    return result;
  }

  List<AdminAudit.Action> audits() {
    return audits;
  }

  public SqlConnection conn() {
    return conn;
  }

  /**
   * The next config version. The row lock taken here is held until commit, so concurrent writers
   * commit in version order and no version is skipped by a committed change.
   */
  public Future<Long> nextVersion() {
    return conn.query("UPDATE config_version SET version = version + 1 WHERE id = 1 RETURNING version").execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Queues an event to publish after commit. */
  public void emit(ConfigEvent event) {
    events.add(event);
  }

  List<ConfigEvent> events() {
    return events;
  }
}
