package io.tollgate.admin.store;

import io.tollgate.api.config.ConfigEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * One writing transaction: its connection, the config versions it took and the events to publish
 * once it has committed.
 */
public final class Tx {

  private final SqlConnection conn;
  private final List<ConfigEvent> events = new ArrayList<>();

  Tx(SqlConnection conn) {
    this.conn = conn;
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
