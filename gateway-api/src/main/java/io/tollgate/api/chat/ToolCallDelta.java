package io.tollgate.api.chat;

/**
 * A piece of one streamed tool call. The first piece of a call carries its id and name; every
 * piece may carry a fragment of the arguments' JSON text (OpenAI's {@code function.arguments}
 * string deltas and Anthropic's {@code input_json_delta.partial_json} are the same thing).
 *
 * @param index the call's position among the choice's tool calls, from 0
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {
}
