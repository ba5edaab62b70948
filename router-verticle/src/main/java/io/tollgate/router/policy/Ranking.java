package io.tollgate.router.policy;

import io.tollgate.api.config.DeploymentConfig;
import java.util.ArrayList;
import java.util.List;

/** Builds candidate lists without boxing or sorting objects: K is a handful of deployments. */
final class Ranking {

  private Ranking() {
  }

  /** {@code first}, then the others by descending score; ties keep priority order. */
  static List<DeploymentConfig> firstThenByScore(List<DeploymentConfig> arms, int first, double[] scores) {
    int k = arms.size();
    List<DeploymentConfig> out = new ArrayList<>(k);
    out.add(arms.get(first));
    boolean[] taken = new boolean[k];
    taken[first] = true;
    for (int n = 1; n < k; n++) {
      int best = -1;
      for (int i = 0; i < k; i++) {
        if (!taken[i] && (best < 0 || scores[i] > scores[best])) {
          best = i;
        }
      }
      taken[best] = true;
      out.add(arms.get(best));
    }
    return out;
  }

  /** {@code first}, then the others in priority order. */
  static List<DeploymentConfig> firstThenPriority(List<DeploymentConfig> arms, int first) {
    List<DeploymentConfig> out = new ArrayList<>(arms.size());
    out.add(arms.get(first));
    for (int i = 0; i < arms.size(); i++) {
      if (i != first) {
        out.add(arms.get(i));
      }
    }
    return out;
  }

  /** Index of the highest score; the first among equals. */
  static int argmax(double[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }
}
