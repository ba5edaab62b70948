package io.tollgate.admin.support;

import io.tollgate.api.config.ConfigFeed;
import io.tollgate.api.config.ConfigIndex;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Predicate;

/** Completes when a feed's configuration satisfies a condition. */
public final class FeedWatch {

  private FeedWatch() {
  }

  public static Future<ConfigIndex> until(ConfigFeed feed, Predicate<ConfigIndex> condition) {
    Promise<ConfigIndex> promise = Promise.promise();
    feed.onChange(index -> {
      if (condition.test(index)) {
        promise.tryComplete(index);
      }
    });
    ConfigIndex now = feed.current();
    if (condition.test(now)) {
      promise.tryComplete(now);
    }
    return promise.future();
  }
}
