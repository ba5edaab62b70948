package io.tollgate.traffic;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA (EVALSHA), so a request ships only its keys and arguments; a Redis
 * that does not know the script yet (restarted, flushed) answers NOSCRIPT and gets it once by EVAL,
 * which also caches it there.
 */
final class LuaScript {

  private final String text;
  private final String sha;

  private LuaScript(String text) {
    this.text = text;
    this.sha = sha1(text);
  }

  /** One script made of these resources in order (Redis scripts cannot load each other). */
  static LuaScript resource(String... names) {
    StringBuilder text = new StringBuilder();
    for (String name : names) {
      try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing script " + name);
        }
        text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new LuaScript(text.toString());
  }

  String sha() {
    return sha;
  }

  Future<Response> run(Redis redis, List<String> keys, List<String> args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(err -> {
      String message = err.getMessage();
      if (message != null && message.startsWith("NOSCRIPT")) {
        return redis.send(request(Command.EVAL, text, keys, args));
      }
      return Future.failedFuture(err);
    });
  }

  /** Loads the script ahead of the first request (optional: run() falls back to EVAL). */
  Future<Void> load(Redis redis) {
    return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(text)).mapEmpty();
  }

  private static Request request(Command cmd, String script, List<String> keys, List<String> args) {
    Request req = Request.cmd(cmd).arg(script).arg(keys.size());
    keys.forEach(req::arg);
    args.forEach(req::arg);
    return req;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
