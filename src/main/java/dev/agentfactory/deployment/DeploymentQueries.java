package dev.agentfactory.deployment;

import dev.agentfactory.rules.PolicyEngine;

import dev.agentfactory.rules.CompiledAgent;

import dev.agentfactory.rules.TemplateSet;

import dev.agentfactory.rules.AgentCompiler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.blueprint.Blueprint;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.Paging;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Read side of deployments: history and the generated code of an agent. */
public final class DeploymentQueries {
    private final Jdbi jdbi;
    private final BlueprintService blueprints;
    private final PolicyEngine policy;
    private final AgentRegistry registry;

    public DeploymentQueries(Jdbi jdbi, BlueprintService blueprints, PolicyEngine policy, AgentRegistry registry) {
        this.jdbi = jdbi;
        this.blueprints = blueprints;
        this.policy = policy;
        this.registry = registry;
    }

    public Paging.Page<Deployment> history(UUID organizationId, UUID agentId, Paging paging) {
        blueprints.get(organizationId, agentId);
        return jdbi.withExtension(DeploymentDao.class, dao -> paging.of(
                dao.history(organizationId, agentId, paging.limit(), paging.offset()).stream()
                        .map(DeploymentQueries::toDeployment).toList(),
                dao.count(organizationId, agentId)));
    }

    /** The generated rules: of the live agent, or rendered (not deployed) for a given or the latest version. */
    public Map<String, Object> code(UUID organizationId, UUID agentId, Integer version) {
        Blueprint blueprint = blueprints.get(organizationId, agentId);
        var live = registry.find(agentId).filter(a -> a.compiled().organizationId().equals(organizationId));
        if (version == null && live.isPresent()) {
            CompiledAgent compiled = live.get().compiled();
            return Map.of("agentId", agentId, "live", true, "deploymentId", compiled.deploymentId(),
                    "blueprintVersion", compiled.blueprintVersion(), "templateVersion", compiled.templateVersion(),
                    "drl", compiled.drl());
        }
        int target = version == null ? blueprint.version() : version;
        BlueprintSpec spec = target == blueprint.version() ? blueprint.spec()
                : blueprints.versionSpec(organizationId, agentId, target);
        TemplateSet templateSet = policy.templates();
        String drl = AgentCompiler.listing(AgentCompiler.generate(templateSet, agentId, target, spec));
        return Map.of("agentId", agentId, "live", false, "blueprintVersion", target,
                "templateVersion", templateSet.version(), "drl", drl);
    }

    private static Deployment toDeployment(DeploymentDao.Row row) {
        return new Deployment(row.id(), row.agentId(), row.blueprintVersion(), row.kind(), row.outcome(),
                row.requestedBy(), row.startedAt(), row.finishedAt(), row.compileMs(), row.deployMs(),
                row.templateVersion(), row.ruleSetVersion(), row.error() == null ? null : Json.read(row.error(), JsonNode.class));
    }
}
