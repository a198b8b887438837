package dev.agentfactory.rules;

import dev.agentfactory.blueprint.BlueprintSpec;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.kie.api.runtime.KieSessionsPool;

/**
 * One blueprint version compiled into its own small, immutable knowledge base, with the snapshot
 * it was compiled from. Never changed: a redeploy or a template change builds a new one.
 *
 * @param drl the generated rules, as {@code GET /api/agents/{id}/code} shows them
 * @param facts what these rules say about each kind of action, remembered
 */
public record CompiledAgent(UUID agentId, UUID organizationId, UUID deploymentId, int blueprintVersion,
                            BlueprintSpec spec, KieSessionsPool sessions, String drl,
                            String templateVersion, Instant compiledAt, long compileMillis, Set<String> eventTriggers,
                            Set<String> supportedIntents, AgentFacts facts) {

}
