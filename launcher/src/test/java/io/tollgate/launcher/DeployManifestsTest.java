package io.tollgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Kubernetes manifests: every role deployed, probed, discoverable and draining")
class DeployManifestsTest {

  static final Path DIR = Path.of("../deploy/k8s");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<JsonNode> documents() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    for (JsonNode file : YAML.readTree(DIR.resolve("kustomization.yaml").toFile()).get("resources")) {
      try (YAMLParser p = new YAMLFactory().createParser(DIR.resolve(file.asText()).toFile())) {
        YAML.readValues(p, JsonNode.class).forEachRemaining(docs::add);
      }
    }
    return docs;
  }

  @Test
  @DisplayName("each role has a Deployment with probes on the management port, DNS discovery and a grace period over the drain")
  void deployments() throws Exception {
    Set<String> roles = new TreeSet<>();
    for (JsonNode doc : documents()) {
      if (!doc.path("kind").asText().equals("Deployment")) {
        continue;
      }
      JsonNode pod = doc.at("/spec/template/spec");
      JsonNode c = pod.at("/containers/0");
      List<String> args = new ArrayList<>();
      c.get("args").forEach(a -> args.add(a.asText()));
      assertThat(args).contains("--cluster");
      roles.addAll(List.of(args.get(args.indexOf("--roles") + 1).split(",")));
      assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
      assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
      assertThat(c.at("/readinessProbe/httpGet/port").asText()).isEqualTo("management");
      List<String> env = new ArrayList<>();
      c.get("env").forEach(e -> env.add(e.get("name").asText()));
      assertThat(env).contains("TOLLGATE_CLUSTER_DNS", "TOLLGATE_CLUSTER_SECRET", "TOLLGATE_CLUSTER_HOST",
          "TOLLGATE_DRAIN_SECONDS");
      assertThat(pod.get("terminationGracePeriodSeconds").asInt()).isGreaterThan(30);
      assertThat(doc.at("/spec/template/metadata/labels/app.kubernetes.io~1part-of").asText()).isEqualTo("tollgate");
    }
    assertThat(roles).containsExactlyInAnyOrder("admin", "router", "connector", "edge", "billing", "audit");
  }

  @Test
  @DisplayName("a headless Service publishes members before they are ready; the edge scales on CPU")
  void serviceAndAutoscaler() throws Exception {
    List<JsonNode> docs = documents();
    assertThat(docs).anySatisfy(d -> {
      assertThat(d.path("kind").asText()).isEqualTo("Service");
      assertThat(d.at("/spec/clusterIP").asText()).isEqualTo("None");
      assertThat(d.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
    });
    assertThat(docs).anySatisfy(d -> {
      assertThat(d.path("kind").asText()).isEqualTo("HorizontalPodAutoscaler");
      assertThat(d.at("/spec/scaleTargetRef/name").asText()).isEqualTo("tollgate-edge");
      assertThat(d.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
    });
    assertThat(Files.readString(Path.of("../Dockerfile"))).contains("tollgate-slim.jar").contains("AS build");
  }
}
