package dev.agentfactory.cluster;

import java.util.Map;
import java.util.UUID;

/**
 * What an instance serves (its heartbeat row keeps it), or what the database says every instance
 * should serve.
 *
 * @param ruleSet the live rule set's version; in the desired state, null while the database does
 *     not hold the rules (instances are then compared with each other)
 * @param agents every live agent by id
 * @param customRules each organization's custom-rule set version
 */
public record Serving(String ruleSet, Map<UUID, AgentServing> agents, Map<UUID, Long> customRules) {
    public Serving {
        agents = Map.copyOf(agents);
        customRules = Map.copyOf(customRules);
    }
}
