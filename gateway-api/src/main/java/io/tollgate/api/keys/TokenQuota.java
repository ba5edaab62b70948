package io.tollgate.api.keys;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Token quotas; null means unlimited. Daily and monthly reset at UTC midnight / month start. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TokenQuota(@JsonDeserialize(using = WholeNumber.class) Long daily,
                         @JsonDeserialize(using = WholeNumber.class) Long monthly,
                         @JsonDeserialize(using = WholeNumber.class) Long total) {

  public static final TokenQuota NONE = new TokenQuota(null, null, null);
}
