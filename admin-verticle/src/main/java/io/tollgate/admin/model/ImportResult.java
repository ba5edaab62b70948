package io.tollgate.admin.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What an import changed; both zero when the database already matched the file. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ImportResult(int modelsChanged, int keysChanged, long version) {
}
