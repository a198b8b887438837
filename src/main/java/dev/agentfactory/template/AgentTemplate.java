package dev.agentfactory.template;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One pattern of the template library: a complete blueprint to start an agent from, and when to use it.
 *
 * @param id the file name without {@code .json}
 * @param version raised by whoever edits the file, so a blueprint started from it can say which text it came from
 * @param blueprint the blueprint body, as {@code POST /api/agents} takes it
 */
public record AgentTemplate(String id, int version, String title, String industry, String whenToUse,
                            JsonNode blueprint) {
}
