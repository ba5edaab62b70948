package io.tollgate.admin.store;

import io.tollgate.admin.model.ModelSpecs;
import io.tollgate.api.config.GlobalLimits;
import io.tollgate.api.config.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a config import changed, as the before and after of its one audit record. */
final class ImportChanges {

  private final List<ModelConfig> modelsBefore = new ArrayList<>();
  private final List<ModelConfig> modelsAfter = new ArrayList<>();
  private GlobalLimits limitsBefore;
  private GlobalLimits limitsAfter;
  int keysChanged;

  void model(ModelStore.Saved saved) {
    if (saved.changed()) {
      if (saved.before() != null) {
        modelsBefore.add(ModelSpecs.masked(saved.before()));
      }
      modelsAfter.add(ModelSpecs.masked(saved.model()));
    }
  }

  void limits(GlobalLimits before, GlobalLimits after) {
    if (!before.equals(after)) {
      limitsBefore = before;
      limitsAfter = after;
    }
  }

  boolean any() {
    return !modelsAfter.isEmpty() || limitsAfter != null || keysChanged > 0;
  }

  Map<String, Object> before() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("models", modelsBefore);
    if (limitsBefore != null) {
      out.put("limits", limitsBefore);
    }
    return out;
  }

  Map<String, Object> after() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("models", modelsAfter);
    if (limitsAfter != null) {
      out.put("limits", limitsAfter);
    }
    out.put("keys_changed", keysChanged);
    return out;
  }
}
