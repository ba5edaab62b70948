package io.tollgate.admin.store;

import io.tollgate.admin.model.ImportResult;
import io.tollgate.admin.secrets.SecretBox;
import io.tollgate.api.config.GatewayConfig;
import io.tollgate.api.config.GlobalLimits;
import io.tollgate.api.config.KeyConfig;
import io.tollgate.api.config.ModelConfig;
import io.vertx.core.Future;

/** A config file applied in one transaction ({@link ConfigStore#importConfig(GatewayConfig, String)}). */
final class ConfigImport {

  private ConfigImport() {
  }

  static Future<ImportResult> apply(Tx tx, GatewayConfig config, SecretBox box, String actor) {
    ImportChanges changes = new ImportChanges();
    Future<int[]> counts = Future.succeededFuture(new int[2]);
    for (int i = 0; i < config.models().size(); i++) {
      ModelConfig m = config.models().get(i);
      String param = "models[" + i + "].";
      counts = counts.compose(c -> ModelStore.save(tx, m, false, box, param).map(s -> {
        c[0] += s.changed() ? 1 : 0;
        changes.model(s);
        return c;
      }));
    }
    for (KeyConfig k : config.keys()) {
      counts = counts.compose(c -> KeyStore.upsertBootstrap(tx, k).map(changed -> {
        c[1] += changed ? 1 : 0;
        return c;
      }));
    }
    if (!GlobalLimits.NONE.equals(config.limits())) {
      counts = counts.compose(c -> LimitsStore.get(tx.conn(), true).compose(before ->
          LimitsStore.put(tx, config.limits()).map(after -> {
            changes.limits(before, after);
            return c;
          })));
    }
    return counts.compose(c -> tx.conn().query("SELECT version FROM config_version WHERE id = 1").execute()
        .map(rows -> {
          changes.keysChanged = c[1];
          if (AdminAudit.ADMIN.equals(actor) || changes.any()) {
            tx.audit("config.import", "config", null, null, changes.before(), changes.after());
          }
          return new ImportResult(c[0], c[1], rows.iterator().next().getLong(0));
        }));
  }
}
