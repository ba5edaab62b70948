package io.tollgate.api.ops;

import io.tollgate.api.chat.RawJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A legacy text completion ({@code POST /v1/completions}). The answer streams (or is folded into
 * one body) as chat does: the text in choice deltas' {@code content}, the finish reason per choice.
 *
 * @param prompts      the prompt(s) as text
 * @param tokenPrompts the prompt(s) as token ids; at most one of the two is non-empty
 * @param extra        other top-level parameters as sent ({@code best_of}, {@code seed},
 *                     {@code logit_bias} ...), for OpenAI-compatible upstreams
 */
public record CompletionRequest(String model, List<String> prompts, List<List<Integer>> tokenPrompts,
                                boolean stream, Integer maxTokens, Double temperature, Double topP, Integer n,
                                List<String> stop, String suffix, Boolean echo, Integer logprobs, String user,
                                Map<String, RawJson> extra) implements OperationRequest {

  public CompletionRequest {
    prompts = prompts == null ? List.of() : List.copyOf(prompts);
    if (tokenPrompts == null) {
      tokenPrompts = List.of();
    } else {
      List<List<Integer>> copy = new ArrayList<>(tokenPrompts.size());
      for (List<Integer> t : tokenPrompts) {
        copy.add(List.copyOf(t));
      }
      tokenPrompts = List.copyOf(copy);
    }
    stop = stop == null ? null : List.copyOf(stop);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  @Override
  public Operation operation() {
    return Operation.COMPLETIONS;
  }

  @Override
  public long estimatedPromptTokens() {
    long total = 0;
    for (String p : prompts) {
      total += OperationRequest.tokensOfChars(p.length());
    }
    for (List<Integer> t : tokenPrompts) {
      total += t.size();
    }
    return Math.max(1, total);
  }
}
