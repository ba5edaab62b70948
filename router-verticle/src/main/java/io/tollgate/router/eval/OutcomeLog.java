package io.tollgate.router.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.api.bus.Outcome;
import io.tollgate.api.codec.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads recorded outcomes: one JSON object per line, an {@link Outcome} as it travels on the event
 * bus, with an optional {@code "at"} (ISO-8601 instant or epoch milliseconds) saying when it
 * happened. Blank lines are skipped; a line that is not an outcome is an error naming its number,
 * so a truncated or foreign file is never evaluated silently.
 */
public final class OutcomeLog {

  private OutcomeLog() {
  }

  public static List<LoggedOutcome> read(Reader in) throws IOException {
    List<LoggedOutcome> out = new ArrayList<>();
    BufferedReader lines = new BufferedReader(in);
    String line;
    int number = 0;
    while ((line = lines.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = Wire.MAPPER.readTree(line);
        if (!(node instanceof ObjectNode obj)) {
          throw new IllegalArgumentException("not a JSON object");
        }
        long at = at(obj.remove("at"));
        Outcome outcome = Wire.MAPPER.treeToValue(obj, Outcome.class);
        if (outcome.deploymentId() == null || outcome.status() == null) {
          throw new IllegalArgumentException("an outcome needs deploymentId and status");
        }
        out.add(new LoggedOutcome(outcome, at));
      } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
        throw new IllegalArgumentException("line " + number + ": not an outcome (" + e.getMessage() + ")", e);
      }
    }
    return out;
  }

  private static long at(JsonNode at) {
    if (at == null || at.isNull()) {
      return -1;
    }
    return at.isNumber() ? at.asLong() : Instant.parse(at.asText()).toEpochMilli();
  }
}
