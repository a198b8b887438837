package dev.agentfactory.replay;

import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.TemplateSet;
import java.util.UUID;

/**
 * What past decisions are re-decided against: a bundle's shared rules and templates, and optionally
 * one agent's other blueprint version (that agent's decisions use it; every other decision its own).
 *
 * @param agentId the agent whose version is the candidate, or null
 * @param agentVersion that agent's candidate version, or null
 */
public record Candidate(String bundleVersion, RuleSet rules, TemplateSet templates, UUID agentId,
                        Integer agentVersion) {

    int versionFor(UUID agent, int stored) {
        return agentVersion != null && agent.equals(agentId) ? agentVersion : stored;
    }
}
