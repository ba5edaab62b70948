package io.tollgate.connector.oauth;

import static io.tollgate.connector.Await.await;
import static io.tollgate.connector.Await.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The node's access-token cache, on a fake clock")
class TokenCacheTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<Promise<AccessToken>> fetches = new ArrayList<>();
  private TokenCache cache;

  @BeforeEach
  void setUp(Vertx vertx) {
    cache = new TokenCache(vertx, now::get, 300_000);
  }

  /** A fetch the test completes by hand: it sees how many were started and when they end. */
  private final Supplier<Future<AccessToken>> fetch = () -> {
    Promise<AccessToken> p = Promise.promise();
    fetches.add(p);
    return p.future();
  };

  private AccessToken hourToken(String value) {
    return new AccessToken(value, now.get() + 3_600_000);
  }

  @Test
  @DisplayName("a burst of calls on a cold cache makes one fetch and all of them get its token (single-flight)")
  void singleFlight() {
    Future<String> a = cache.token("k", fetch);
    Future<String> b = cache.token("k", fetch);
    Future<String> c = cache.token("k", fetch);
    assertThat(fetches).hasSize(1);
    fetches.get(0).complete(hourToken("tok-1"));
    assertThat(List.of(await(a), await(b), await(c))).containsOnly("tok-1");
  }

  @Test
  @DisplayName("a valid token is reused without a fetch; credentials have separate tokens")
  void reuse() {
    Future<String> first = cache.token("k", fetch);
    fetches.get(0).complete(hourToken("tok-1"));
    await(first);
    now.addAndGet(1_000_000);
    assertThat(await(cache.token("k", fetch))).isEqualTo("tok-1");
    assertThat(fetches).hasSize(1);
    cache.token("other", fetch);
    assertThat(fetches).hasSize(2);
  }

  @Test
  @DisplayName("inside the refresh margin calls keep the old token while one refresh runs in the background")
  void refreshBeforeExpiry() {
    Future<String> first = cache.token("k", fetch);
    fetches.get(0).complete(hourToken("tok-1"));
    await(first);
    now.addAndGet(3_600_000 - 200_000); // 200 s left, inside the 300 s margin

    assertThat(await(cache.token("k", fetch))).isEqualTo("tok-1");
    assertThat(await(cache.token("k", fetch))).isEqualTo("tok-1");
    assertThat(fetches).as("one background refresh").hasSize(2);
    fetches.get(1).complete(hourToken("tok-2"));
    assertThat(await(cache.token("k", fetch))).isEqualTo("tok-2");
    assertThat(fetches).hasSize(2);
  }

  @Test
  @DisplayName("after expiry calls wait for the new token instead of sending an expired one")
  void expired() {
    Future<String> first = cache.token("k", fetch);
    fetches.get(0).complete(hourToken("tok-1"));
    await(first);
    now.addAndGet(3_600_000);

    Future<String> waiting = cache.token("k", fetch);
    assertThat(waiting.isComplete()).isFalse();
    fetches.get(1).complete(hourToken("tok-2"));
    assertThat(await(waiting)).isEqualTo("tok-2");
  }

  @Test
  @DisplayName("a failed fetch fails its waiters and is not cached: the next call fetches again")
  void failureNotCached() {
    Future<String> first = cache.token("k", fetch);
    fetches.get(0).fail(new IllegalStateException("token endpoint down"));
    assertThat(awaitFailure(first)).hasMessage("token endpoint down");

    Future<String> second = cache.token("k", fetch);
    assertThat(fetches).hasSize(2);
    fetches.get(1).complete(hourToken("tok-2"));
    assertThat(await(second)).isEqualTo("tok-2");
  }

  @Test
  @DisplayName("a fetch that fails at once (a malformed key) does not block later fetches")
  void immediateFailure() {
    Future<String> first = cache.token("k", () -> Future.failedFuture(new IllegalArgumentException("bad key")));
    assertThat(awaitFailure(first)).hasMessage("bad key");
    Future<String> second = cache.token("k", fetch);
    assertThat(fetches).hasSize(1);
    fetches.get(0).complete(hourToken("tok-1"));
    assertThat(await(second)).isEqualTo("tok-1");
  }

  @Test
  @DisplayName("a token the upstream rejected (401) is dropped, so the next call fetches a new one")
  void rejected() {
    Future<String> first = cache.token("k", fetch);
    fetches.get(0).complete(hourToken("tok-1"));
    await(first);
    cache.rejected("tok-1");
    Future<String> next = cache.token("k", fetch);
    assertThat(fetches).hasSize(2);
    fetches.get(1).complete(hourToken("tok-2"));
    assertThat(await(next)).isEqualTo("tok-2");
  }

  @Test
  @DisplayName("a short-lived token is refreshed at half its life, not at once")
  void shortLived() {
    Future<String> first = cache.token("k", fetch);
    fetches.get(0).complete(new AccessToken("tok-1", now.get() + 60_000));
    await(first);
    now.addAndGet(20_000);
    assertThat(await(cache.token("k", fetch))).isEqualTo("tok-1");
    assertThat(fetches).hasSize(1);
    now.addAndGet(15_000); // 25 s left of 60: past half
    cache.token("k", fetch);
    assertThat(fetches).hasSize(2);
  }

  @Test
  @DisplayName("an access token prints masked")
  void masked() {
    assertThat(new AccessToken("ya29.secret", 1).toString()).doesNotContain("ya29");
  }
}
