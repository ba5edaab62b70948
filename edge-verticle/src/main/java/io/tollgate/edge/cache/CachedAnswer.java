package io.tollgate.edge.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Usage;
import io.tollgate.api.codec.Wire;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A completed chat answer as the cache keeps it: the canonical events the upstream streamed (what
 * every format's answer writer folds into its JSON body) and the usage it reported. A hit replays
 * them through a fresh writer, so the client gets a new id and timestamp, in its own format.
 *
 * @param usage the original call's usage (null if it reported none), shown to the client on a hit; the
 *              ledger records a hit with zero tokens
 */
public record CachedAnswer(List<List<ChoiceDelta>> events, Usage usage) {

  public CachedAnswer {
    events = List.copyOf(events);
  }

  /** The events with runs of plain text of one choice joined: the same answer in far fewer bytes. */
  static List<List<ChoiceDelta>> compact(List<List<ChoiceDelta>> events) {
    List<List<ChoiceDelta>> out = new ArrayList<>(events.size());
    ChoiceDelta run = null;
    StringBuilder text = null;
    for (List<ChoiceDelta> event : events) {
      ChoiceDelta only = event.size() == 1 ? event.get(0) : null;
      if (only != null && plainText(only)) {
        if (run != null && run.index() == only.index()) {
          text.append(only.content());
          continue;
        }
        flush(out, run, text);
        run = only;
        text = new StringBuilder(only.content());
        continue;
      }
      flush(out, run, text);
      run = null;
      out.add(event);
    }
    flush(out, run, text);
    return out;
  }

  private static boolean plainText(ChoiceDelta d) {
    return d.content() != null && d.role() == null && d.toolCalls() == null && d.finishReason() == null
        && d.reasoning() == null && d.stopSequence() == null;
  }

  private static void flush(List<List<ChoiceDelta>> out, ChoiceDelta run, StringBuilder text) {
    if (run != null) {
      out.add(List.of(ChoiceDelta.text(run.index(), text.toString())));
    }
  }

  Buffer encode() {
    try {
      return Buffer.buffer(Wire.MAPPER.writeValueAsBytes(this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a cached answer", e);
    }
  }

  /** The entry, or null if it cannot be read (written by an incompatible version: a miss). */
  static CachedAnswer decode(Buffer bytes) {
    try {
      return Wire.MAPPER.readValue(bytes.getBytes(), CachedAnswer.class);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
