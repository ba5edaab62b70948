package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchRetrieveParams;
import com.openai.models.files.FileContentParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileDeleteParams;
import com.openai.models.files.FileDeleted;
import com.openai.models.files.FileListParams;
import com.openai.models.files.FileRetrieveParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Batch jobs through the OpenAI Java SDK's files and batches APIs")
class BatchJobsTest {

  private static Tollgate node;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    Path config = TestGateway.writeConfig("""
        models:
          - name: mock-model
            deployments:
              - {id: mock-1, provider: mock, mock: {tokens: 3}}
          - name: slow-model
            deployments:
              - {id: slow-1, provider: mock, mock: {tokens: 2000, chunk_delay_ms: 50}}
        """);
    node = TestGateway.start(config);
    client = TestGateway.openAi(node.httpPort(), TestGateway.KEY);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close().await();
    }
  }

  static String lines(int n, String model) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(new JsonObject().put("custom_id", "req-" + i).put("method", "POST").put("url", "/v1/chat/completions")
          .put("body", new JsonObject().put("model", model).put("messages", new io.vertx.core.json.JsonArray()
              .add(new JsonObject().put("role", "user").put("content", "line " + i)))).encode()).append('\n');
    }
    return sb.toString();
  }

  /** The text in a .jsonl file, uploaded as a file (with its name) the way clients usually do. */
  static Path jsonl(String text) throws IOException {
    Path file = java.nio.file.Files.createTempFile("batch-input", ".jsonl");
    java.nio.file.Files.writeString(file, text);
    file.toFile().deleteOnExit();
    return file;
  }

  static Batch awaitEnd(OpenAIClient client, String id, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      Batch b = client.batches().retrieve(BatchRetrieveParams.builder().batchId(id).build());
      String status = b.status().asString();
      if (status.equals("completed") || status.equals("cancelled") || status.equals("failed")
          || status.equals("expired")) {
        return b;
      }
      assertThat(System.nanoTime()).as("batch " + id + " ends within " + seconds + " s (now " + status + ")")
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The JSON lines of a file, by custom_id; fails if a custom_id appears twice. */
  static Map<String, JsonObject> content(OpenAIClient client, String fileId) throws IOException {
    String text;
    try (var response = client.files().content(FileContentParams.builder().fileId(fileId).build())) {
      text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, JsonObject> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        JsonObject json = new JsonObject(line);
        assertThat(out.put(json.getString("custom_id"), json)).as("custom_id answered once: " + line).isNull();
      }
    }
    return out;
  }

  @Test
  @DisplayName("upload a JSONL file, create a batch, poll it to completed, download results and errors")
  void endToEnd() throws Exception {
    String input = lines(5, "mock-model") + new JsonObject().put("custom_id", "unknown-model").put("method", "POST")
        .put("url", "/v1/chat/completions").put("body", new JsonObject().put("model", "no-such-model")
            .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
                .put("content", "x")))).encode() + "\n";
    FileObject file = client.files().create(FileCreateParams.builder()
        .file(jsonl(input)).purpose(FilePurpose.BATCH).build());
    assertThat(file.id()).startsWith("file-");
    assertThat(file.filename()).endsWith(".jsonl");
    assertThat(file.bytes()).isEqualTo(input.getBytes(StandardCharsets.UTF_8).length);

    Batch created = client.batches().create(BatchCreateParams.builder().inputFileId(file.id())
        .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
        .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
    assertThat(created.requestCounts().orElseThrow().total()).isEqualTo(6);

    Batch done = awaitEnd(client, created.id(), 30);
    assertThat(done.status().asString()).isEqualTo("completed");
    assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(5);
    assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(1);

    Map<String, JsonObject> results = content(client, done.outputFileId().orElseThrow());
    assertThat(results.keySet()).containsExactlyInAnyOrder("req-0", "req-1", "req-2", "req-3", "req-4");
    for (JsonObject r : results.values()) {
      assertThat(r.getJsonObject("response").getInteger("status_code")).isEqualTo(200);
      assertThat(r.getJsonObject("response").getJsonObject("body").getJsonArray("choices")).hasSize(1);
      assertThat(r.getString("id")).startsWith("batch_req_");
    }
    Map<String, JsonObject> errors = content(client, done.errorFileId().orElseThrow());
    assertThat(errors.keySet()).containsExactly("unknown-model");
    assertThat(errors.get("unknown-model").getJsonObject("response").getInteger("status_code")).isEqualTo(404);

    // The input file reads back as it was uploaded, and the batch is listed.
    try (var response = client.files().content(FileContentParams.builder().fileId(file.id()).build())) {
      assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(input);
    }
    List<String> listed = new ArrayList<>();
    client.batches().list().autoPager().forEach(b -> listed.add(b.id()));
    assertThat(listed).contains(created.id());
  }

  @Test
  @DisplayName("an embeddings batch: every line answered with its vector, through the same limits and billing")
  void embeddingsBatch() throws Exception {
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      input.append(new JsonObject().put("custom_id", "emb-" + i).put("method", "POST").put("url", "/v1/embeddings")
          .put("body", new JsonObject().put("model", "mock-model").put("input", "text " + i)).encode()).append('\n');
    }
    FileObject file = client.files().create(FileCreateParams.builder()
        .file(jsonl(input.toString())).purpose(FilePurpose.BATCH).build());
    Batch created = client.batches().create(BatchCreateParams.builder().inputFileId(file.id())
        .endpoint(BatchCreateParams.Endpoint.V1_EMBEDDINGS)
        .completionWindow(BatchCreateParams.CompletionWindow._24H).build());

    Batch done = awaitEnd(client, created.id(), 30);
    assertThat(done.status().asString()).isEqualTo("completed");
    assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(3);
    Map<String, JsonObject> results = content(client, done.outputFileId().orElseThrow());
    assertThat(results.keySet()).containsExactlyInAnyOrder("emb-0", "emb-1", "emb-2");
    for (JsonObject r : results.values()) {
      JsonObject body = r.getJsonObject("response").getJsonObject("body");
      assertThat(body.getString("object")).isEqualTo("list");
      assertThat(body.getJsonArray("data").getJsonObject(0).getJsonArray("embedding")).hasSize(16);
    }
  }

  @Test
  @DisplayName("files are listed newest first (by purpose) and deleted; a deleted file is gone, another tenant's is a 404")
  void listAndDeleteFiles() throws Exception {
    FileObject a = client.files().create(FileCreateParams.builder().file(jsonl(lines(1, "mock-model")))
        .purpose(FilePurpose.BATCH).build());
    FileObject b = client.files().create(FileCreateParams.builder().file(jsonl(lines(2, "mock-model")))
        .purpose(FilePurpose.BATCH).build());
    List<String> listed = new ArrayList<>();
    client.files().list(FileListParams.builder().purpose("batch").build()).autoPager()
        .forEach(f -> listed.add(f.id()));
    assertThat(listed).contains(a.id(), b.id());
    assertThat(listed.indexOf(b.id())).as("newest first").isLessThan(listed.indexOf(a.id()));

    FileDeleted deleted = client.files().delete(FileDeleteParams.builder().fileId(a.id()).build());
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.id()).isEqualTo(a.id());
    assertThatThrownBy(() -> client.files().retrieve(FileRetrieveParams.builder().fileId(a.id()).build()))
        .isInstanceOf(com.openai.errors.NotFoundException.class);
    assertThatThrownBy(() -> client.files().delete(FileDeleteParams.builder().fileId(a.id()).build()))
        .isInstanceOf(com.openai.errors.NotFoundException.class);
  }

  @Test
  @DisplayName("a batch still running when its 24 h window ends is expired: unanswered lines are batch_expired errors")
  void expiry() throws Exception {
    // Each line streams 2,000 tokens 50 ms apart: none finishes before the window is moved into the past.
    FileObject file = client.files().create(FileCreateParams.builder().file(jsonl(lines(3, "slow-model")))
        .purpose(FilePurpose.BATCH).build());
    Batch created = client.batches().create(BatchCreateParams.builder().inputFileId(file.id())
        .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
        .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.sqlclient.Pool db = io.tollgate.admin.store.ConfigStore.pool(vertx, node.pgUrl(), 1);
      // The window's end, moved instead of waited for: 24 hours are not a test's to spend.
      db.preparedQuery("UPDATE batches SET expires_at = now() - interval '1 second' WHERE id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(created.id())).await();
    } finally {
      vertx.close().await();
    }

    Batch done = awaitEnd(client, created.id(), 30);
    assertThat(done.status().asString()).isEqualTo("expired");
    assertThat(done.expiredAt()).isPresent();
    assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(3);
    Map<String, JsonObject> errors = content(client, done.errorFileId().orElseThrow());
    assertThat(errors.keySet()).containsExactlyInAnyOrder("req-0", "req-1", "req-2");
    for (JsonObject e : errors.values()) {
      assertThat(e.getJsonObject("error").getString("code")).isEqualTo("batch_expired");
      assertThat(e.getValue("response")).isNull();
    }
  }

  @Test
  @DisplayName("a malformed input file is refused at upload with the line that is wrong")
  void badFile() {
    String input = lines(2, "mock-model") + "{\"custom_id\":\"x\",\"method\":\"GET\",\"url\":\"/v1/chat/completions\","
        + "\"body\":{}}\n";
    assertThatThrownBy(() -> client.files().create(FileCreateParams.builder()
        .file(input.getBytes(StandardCharsets.UTF_8)).purpose(FilePurpose.BATCH).build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("line 3");
    assertThatThrownBy(() -> client.batches().create(BatchCreateParams.builder().inputFileId("file-nope")
        .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
        .completionWindow(BatchCreateParams.CompletionWindow._24H).build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  @DisplayName("a cancelled batch ends as cancelled, and a key of another tenant cannot see it")
  void cancelAndTenantScope() throws Exception {
    FileObject file = client.files().create(FileCreateParams.builder()
        .file(jsonl(lines(40, "mock-model"))).purpose(FilePurpose.BATCH).build());
    Batch created = client.batches().create(BatchCreateParams.builder().inputFileId(file.id())
        .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
        .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
    Batch cancelling = client.batches().cancel(com.openai.models.batches.BatchCancelParams.builder()
        .batchId(created.id()).build());
    assertThat(cancelling.status().asString()).isIn("cancelling", "cancelled");
    Batch ended = awaitEnd(client, created.id(), 30);
    assertThat(ended.status().asString()).isEqualTo("cancelled");
    assertThat(ended.requestCounts().orElseThrow().completed()).isLessThan(40);

    TestGateway.AdminResponse tenant = TestGateway.admin(node, "POST", "/admin/v1/tenants",
        new JsonObject().put("name", "other-team"));
    TestGateway.AdminResponse key = TestGateway.admin(node, "POST", "/admin/v1/keys",
        new JsonObject().put("tenant_id", tenant.body().getString("id")).put("name", "other"));
    OpenAIClient other = TestGateway.openAi(node.httpPort(), key.body().getString("key"));
    assertThatThrownBy(() -> other.batches().retrieve(BatchRetrieveParams.builder().batchId(created.id()).build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> other.files().content(FileContentParams.builder().fileId(file.id()).build()))
        .isInstanceOf(NotFoundException.class);
  }
}
