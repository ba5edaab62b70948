package io.tollgate.api.chat;

/**
 * How much the model should think before answering. OpenAI speaks in efforts
 * ({@code reasoning_effort}, Responses' {@code reasoning.effort}), Anthropic in a token budget
 * ({@code thinking.budget_tokens}); a connector derives the one its upstream needs from whichever
 * is set (documented mapping in the README).
 *
 * @param effort       "minimal" | "low" | "medium" | "high", null when the client gave a budget
 * @param budgetTokens thinking tokens, null when the client gave an effort
 * @param enabled      false when the client explicitly turned thinking off
 */
public record ReasoningOptions(String effort, Integer budgetTokens, boolean enabled) {
}
