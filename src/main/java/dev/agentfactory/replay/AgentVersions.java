package dev.agentfactory.replay;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.AgentCompiler;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.TemplateSet;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Stored blueprint versions compiled with a bundle's templates, as replay and explain need them:
 * compiled once per agent, version and templates, the most recently used kept (compiling is the
 * expensive part, and a window of decisions names few agent versions). Not thread-safe: one per run.
 */
public final class AgentVersions {
    private static final int KEPT = 64;

    private final Jdbi jdbi;
    private final Map<String, CompiledAgent> compiled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledAgent> eldest) {
            return size() > KEPT;
        }
    };

    public AgentVersions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** @throws NotFoundException when the version is not stored; AgentCompileException when it does not compile */
    public CompiledAgent get(TemplateSet templates, UUID organizationId, UUID agentId, int version) {
        String key = agentId + "/" + version + "/" + templates.version();
        CompiledAgent agent = compiled.get(key);
        if (agent == null) {
            agent = AgentCompiler.compile(templates, organizationId, agentId, new UUID(0, 0), version,
                    spec(organizationId, agentId, version));
            compiled.put(key, agent);
        }
        return agent;
    }

    public BlueprintSpec spec(UUID organizationId, UUID agentId, int version) {
        String snapshot = jdbi.withExtension(StoredDecisionDao.class, dao -> dao.snapshot(organizationId, agentId,
                version)).orElseThrow(() -> new NotFoundException("version " + version + " of agent " + agentId));
        return Json.read(snapshot, BlueprintSpec.class);
    }
}
