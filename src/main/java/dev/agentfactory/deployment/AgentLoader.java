package dev.agentfactory.deployment;

import dev.agentfactory.rules.PolicyEngine;

import dev.agentfactory.rules.CompiledAgent;

import dev.agentfactory.rules.TemplateSet;

import dev.agentfactory.rules.AgentCompiler;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.web.Json;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Compiles agents that should be live: all of them at start-up, again after a template change. */
public final class AgentLoader {
    private static final Logger log = LoggerFactory.getLogger(AgentLoader.class);

    private final Jdbi jdbi;
    private final PolicyEngine policy;
    private final AgentRegistry registry;

    public AgentLoader(Jdbi jdbi, PolicyEngine policy, AgentRegistry registry) {
        this.jdbi = jdbi;
        this.policy = policy;
        this.registry = registry;
    }

    /**
     * At start-up (after {@link AgentStates#recoverInterrupted}): every Active or Paused agent is
     * compiled again, in parallel, before the server serves.
     */
    public LoadReport loadAll() {
        long started = System.nanoTime();
        List<DeploymentDao.LiveRow> live = jdbi.withExtension(DeploymentDao.class, DeploymentDao::live);
        TemplateSet templateSet = policy.templates();
        List<String> failures = live.parallelStream().map(row -> {
            try {
                registry.put(new AgentRegistry.LiveAgent(compile(templateSet, row), row.status().equals("Paused")));
                return null;
            } catch (RuntimeException e) {
                log.error("agent {} (deployment {}) could not be compiled at start-up", row.agentId(),
                        row.deploymentId(), e);
                return row.agentId() + ": " + e.getMessage();
            }
        }).filter(f -> f != null).toList();
        LoadReport report = new LoadReport(live.size() - failures.size(), failures,
                (System.nanoTime() - started) / 1_000_000);
        log.info("{} agents compiled in {} ms ({} failed)", report.loaded(), report.millis(), failures.size());
        return report;
    }

    public record LoadReport(int loaded, List<String> failures, long millis) {
    }

    /**
     * After a template change: each live agent is compiled again in the background and swaps in
     * when ready; the old compiled form serves until then. A newer deploy in between wins.
     */
    public void recompileAll(TemplateSet templateSet) {
        Thread worker = new Thread(() -> {
            int done = 0;
            for (AgentRegistry.LiveAgent live : registry.all()) {
                CompiledAgent old = live.compiled();
                try {
                    CompiledAgent fresh = AgentCompiler.compile(templateSet, old.organizationId(), old.agentId(),
                            old.deploymentId(), old.blueprintVersion(), old.spec());
                    if (registry.replace(live, new AgentRegistry.LiveAgent(fresh, live.paused()))) {
                        done++;
                    }
                } catch (RuntimeException e) {
                    log.error("agent {} keeps its old compiled form: the new templates do not compile for it",
                            old.agentId(), e);
                }
            }
            log.info("{} agents recompiled with templates {}", done, templateSet.version());
        }, "agents-recompile");
        worker.setDaemon(true);
        worker.start();
    }

    /** A deployment compiled with the live templates (another instance deployed it). */
    public CompiledAgent compile(DeploymentDao.LiveRow row) {
        return compile(policy.templates(), row);
    }

    private static CompiledAgent compile(TemplateSet templateSet, DeploymentDao.LiveRow row) {
        BlueprintSpec spec = Json.read(row.snapshot(), BlueprintSpec.class);
        return AgentCompiler.compile(templateSet, row.organizationId(), row.agentId(), row.deploymentId(),
                row.blueprintVersion(), spec);
    }
}
