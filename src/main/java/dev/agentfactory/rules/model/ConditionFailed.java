package dev.agentfactory.rules.model;

/** Result fact: one of the agent's trigger conditions does not hold on the event's data. */
public record ConditionFailed(String key, String condition) {
}
