package io.tollgate.edge.format.responses;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ResponseStore} in PostgreSQL (table {@code responses}, migration V4), through the
 * reactive client: nothing blocks an event loop. Rows expire after {@link #DEFAULT_TTL}: reads
 * ignore expired rows at once, {@link #purgeExpired} deletes them (the launcher runs it hourly).
 * Every read and delete is one primary-key lookup on (tenant_id, id).
 */
public final class PgResponseStore implements ResponseStore {

  /** How long a stored response is kept: OpenAI's own retention for stored responses. */
  public static final Duration DEFAULT_TTL = Duration.ofDays(30);

  private static final Logger LOG = LoggerFactory.getLogger(PgResponseStore.class);

  private final Pool pool;
  private final Duration ttl;
  private final LongAdder failedSaves = new LongAdder();

  public PgResponseStore(Pool pool, Duration ttl) {
    this.pool = pool;
    this.ttl = ttl;
  }

  @Override
  public boolean enabled() {
    return true;
  }

  /** Saves that failed (logged, never failing the answer they belong to). */
  public long failedSaves() {
    return failedSaves.sum();
  }

  @Override
  public Future<Stored> load(String tenantId, String id) {
    return pool.preparedQuery("SELECT response, conversation FROM responses "
            + "WHERE tenant_id = $1 AND id = $2 AND expires_at > now()")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Stored(id, new JsonObject(row.getString(0)), new JsonArray(row.getString(1)));
        });
  }

  @Override
  public Future<Void> save(String tenantId, Stored response) {
    return pool.preparedQuery("INSERT INTO responses (tenant_id, id, response, conversation, expires_at) "
            + "VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) "
            + "ON CONFLICT (tenant_id, id) DO UPDATE SET response = EXCLUDED.response, "
            + "conversation = EXCLUDED.conversation, expires_at = EXCLUDED.expires_at")
        .execute(Tuple.of(tenantId, response.id(), response.response().encode(), response.conversation().encode(),
            (double) ttl.toSeconds()))
        .<Void>mapEmpty()
        .onFailure(e -> {
          failedSaves.increment();
          LOG.warn("could not store response id={} tenant={}: {}", response.id(), tenantId, e.toString());
        });
  }

  @Override
  public Future<Boolean> delete(String tenantId, String id) {
    return pool.preparedQuery("DELETE FROM responses WHERE tenant_id = $1 AND id = $2 AND expires_at > now()")
        .execute(Tuple.of(tenantId, id))
        .map(rows -> rows.rowCount() > 0);
  }

  /** Deletes expired rows; completes with how many. */
  public Future<Integer> purgeExpired() {
    return pool.query("DELETE FROM responses WHERE expires_at <= now()").execute().map(RowSet::rowCount);
  }
}
