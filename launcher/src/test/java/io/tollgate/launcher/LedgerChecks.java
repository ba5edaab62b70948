package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading the usage ledger back through the admin API. */
final class LedgerChecks {

  private LedgerChecks() {
  }

  /** The ledger records of these requests, waiting (up to {@code seconds}) for the last to be written. */
  static Map<String, JsonObject> awaitRecords(Tollgate admin, Collection<String> requestIds, int seconds)
      throws InterruptedException {
    Map<String, JsonObject> records = new LinkedHashMap<>();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    for (String id : requestIds) {
      while (true) {
        TestGateway.AdminResponse r = TestGateway.admin(admin, "GET", "/admin/v1/requests/" + id, null);
        if (r.status() == 200) {
          records.put(id, r.body());
          break;
        }
        assertThat(r.status()).as(r.body().encode()).isEqualTo(404);
        assertThat(System.nanoTime()).as("ledger record of " + id + " within " + seconds + " s").isLessThan(deadline);
        // The ledger is written asynchronously (batched after the answer); poll until it is.
        Thread.sleep(50);
      }
    }
    return records;
  }

  /** The report's totals over every hour that could hold these tests' requests. */
  static JsonObject totals(Tollgate admin, String model) {
    TestGateway.AdminResponse r = TestGateway.admin(admin, "GET", "/admin/v1/usage?from=2000-01-01&to=2100-01-01"
        + "&model=" + model, null);
    assertThat(r.status()).as(r.body().encode()).isEqualTo(200);
    return r.body().getJsonObject("totals");
  }

  /** Asserts the report's totals equal the sum over these records. */
  static void assertTotalsEqual(JsonObject totals, Collection<JsonObject> records) {
    long requests = records.size();
    long prompt = 0;
    long completion = 0;
    BigDecimal cost = BigDecimal.ZERO;
    for (JsonObject r : records) {
      prompt += r.getLong("prompt_tokens");
      completion += r.getLong("completion_tokens");
      cost = cost.add(new BigDecimal(r.getString("cost_usd")));
    }
    assertThat(totals.getLong("requests")).isEqualTo(requests);
    assertThat(totals.getLong("prompt_tokens")).isEqualTo(prompt);
    assertThat(totals.getLong("completion_tokens")).isEqualTo(completion);
    assertThat(new BigDecimal(totals.getString("cost_usd"))).isEqualByComparingTo(cost);
  }

  /** The cost a record must have at these per-million prices. */
  static BigDecimal expectedCost(JsonObject record, String inputPerMtok, String outputPerMtok) {
    return new BigDecimal(inputPerMtok).multiply(BigDecimal.valueOf(record.getLong("prompt_tokens")))
        .add(new BigDecimal(outputPerMtok).multiply(BigDecimal.valueOf(record.getLong("completion_tokens"))))
        .movePointLeft(6);
  }
}
