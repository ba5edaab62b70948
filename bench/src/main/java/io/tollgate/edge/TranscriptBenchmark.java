package io.tollgate.edge;

import io.tollgate.api.chat.ChatMessage;
import io.tollgate.api.chat.ChatRequest;
import io.tollgate.api.chat.ChoiceDelta;
import io.tollgate.api.chat.Role;
import io.tollgate.api.config.ConfigIndex;
import io.tollgate.api.config.ConfigSnapshot;
import io.tollgate.api.keys.Limits;
import io.tollgate.api.keys.Tenant;
import io.tollgate.api.keys.TenantAudit;
import io.tollgate.api.usage.AuditText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the audit log's prompt storage adds to one request on the edge (production code, no
 * network). {@code plainTenant} is everything a tenant without opt-in pays per request: the tenant
 * lookup and the opt-in check that decide there is no transcript (then one null check per stream
 * message, too small to measure apart). {@code optedIn} is a request of a tenant that stores
 * prompts: a 1 KB prompt and a 1 KB answer in 20 messages, kept and redacted with the built-in
 * rules and one own rule. Run by {@code bench/jmh.sh} with {@code TranscriptBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TranscriptBenchmark {

  private ConfigIndex index;
  private ChatRequest chat;
  private List<List<List<ChoiceDelta>>> answer;

  @Setup
  public void setup() {
    List<Tenant> tenants = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      tenants.add(new Tenant("tn-" + i, "tenant " + i, true, Limits.NONE, 1));
    }
    tenants.add(new Tenant("tn-private", "private", true, Limits.NONE, 1,
        new TenantAudit(true, List.of("ACCT-[0-9]{6}"))));
    index = new ConfigIndex(new ConfigSnapshot(1, tenants, List.of(), List.of()));
    String sentence = "Please summarise the contract for jane.doe@example.com, account ACCT-123456. ";
    chat = ChatRequest.builder("gpt", List.of(ChatMessage.of(Role.SYSTEM, "You are a helpful assistant."),
        ChatMessage.of(Role.USER, sentence.repeat(13)))).build();
    answer = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answer.add(List.of(List.of(ChoiceDelta.text(0, "The contract says the parties agree to terms, "))));
    }
  }

  @Benchmark
  public Transcript plainTenant() {
    return Transcript.of(index.tenant("tn-42"), chat);
  }

  @Benchmark
  public AuditText optedIn() {
    Transcript t = Transcript.of(index.tenant("tn-private"), chat);
    for (List<List<ChoiceDelta>> message : answer) {
      t.add(message);
    }
    return t.redacted();
  }
}
