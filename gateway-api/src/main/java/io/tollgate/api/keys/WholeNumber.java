package io.tollgate.api.keys;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads a count (tokens, requests) as a 64-bit whole number from 0 to {@link Long#MAX_VALUE}. A
 * number out of that range, a fraction or a non-number fails with {@link #MESSAGE}; Jackson adds
 * the field's path, so the config loader and the admin API can name the field (instead of Jackson's
 * own "Numeric value ... out of range of int"). Numeric strings are accepted: a config value
 * substituted from the environment ({@code ${DAILY_QUOTA}}) arrives as text.
 */
public final class WholeNumber extends StdDeserializer<Long> {

  public static final String MESSAGE = "must be a whole number between 0 and " + Long.MAX_VALUE;

  public WholeNumber() {
    super(Long.class);
  }

  @Override
  public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return check(p, p.getLongValue());
    }
    BigDecimal value;
    try {
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        value = p.getDecimalValue();
      } else if (token == JsonToken.VALUE_STRING) {
        value = new BigDecimal(p.getText().trim());
      } else {
        throw invalid(p);
      }
      return check(p, value.longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid(p);
    }
  }

  private static long check(JsonParser p, long value) throws MismatchedInputException {
    if (value < 0) {
      throw invalid(p);
    }
    return value;
  }

  private static MismatchedInputException invalid(JsonParser p) {
    return MismatchedInputException.from(p, Long.class, MESSAGE);
  }
}
