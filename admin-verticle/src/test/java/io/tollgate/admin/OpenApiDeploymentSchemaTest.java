package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.tollgate.api.config.DeploymentConfig;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The admin OpenAPI document's Deployment schema")
class OpenApiDeploymentSchemaTest {

  @Test
  @DisplayName("names every field a deployment has, in snake_case, and no field it does not have")
  void everyField() throws Exception {
    JsonObject doc;
    try (InputStream in = getClass().getResourceAsStream("/io/tollgate/admin/openapi.json")) {
      doc = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    JsonObject properties = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Deployment")
        .getJsonObject("properties");
    PropertyNamingStrategies.SnakeCaseStrategy snake = new PropertyNamingStrategies.SnakeCaseStrategy();
    List<String> fields = Arrays.stream(DeploymentConfig.class.getRecordComponents())
        .map(c -> snake.translate(c.getName())).toList();

    assertThat(properties.fieldNames()).containsExactlyInAnyOrderElementsOf(fields);
    // Every preset, in the enum's order (rerank's jina and tei included), so the schema cannot drift from it.
    assertThat(properties.getJsonObject("preset").getJsonArray("enum").getList())
        .containsExactlyElementsOf(Arrays.stream(io.tollgate.api.config.OpenAiPreset.values())
            .map(io.tollgate.api.config.OpenAiPreset::wire).toList());
  }
}
