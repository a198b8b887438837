package dev.agentfactory.rules.model;

/** Fact: the proposing agent's run state. */
public record AgentState(String agentId, boolean paused) {
}
