package dev.agentfactory.rules;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live agent templates. Like the shared rules, a changed set is tried first (a probe
 * blueprint that uses every template must compile into a working agent); a set that fails is
 * refused and the old templates keep serving. Accepted sets are handed to a listener that
 * recompiles the live agents.
 */
public final class AgentTemplates {
    private static final Logger log = LoggerFactory.getLogger(AgentTemplates.class);

    /** Told about every refused template set (the audit trail). */
    public interface Listener {
        void loaded(TemplateSet templates);

        void refused(Refusal refusal);
    }

    /** Uses every template: actions, contexts, triggers, intents, conditions, constraints. */
    private static final BlueprintSpec PROBE = Json.read("""
            {"name": "template probe",
             "triggerConfig": {"eventTriggers": ["probe.event"], "supportedIntents": ["probe"],
                               "triggerConditions": {"score": {">=": 1}, "channel": "sms", "tags": {"in": ["a", "b"]}}},
             "contextConfig": {"requiredContextTypes": ["ContactProfile"], "optionalContextTypes": ["LeadScore"]},
             "actionConfig": {"allowedActionTypes": ["SendEmail", "GenerateRecommendation"],
                              "actionConstraints": {"maxDailyActions": 10, "cooldownPeriod": "1h"}},
             "validationConfig": {"highRiskActionTypes": ["SendEmail"]}}
            """, BlueprintSpec.class);

    private final Path rulesDir;
    private final AtomicReference<TemplateSet> current = new AtomicReference<>();
    private volatile Refusal lastRefusal;
    private volatile Listener listener = new Listener() {
        @Override
        public void loaded(TemplateSet templates) {
        }

        @Override
        public void refused(Refusal refusal) {
        }
    };
    private volatile Consumer<TemplateSet> onChange = templates -> { };

    public AgentTemplates(Path rulesDir) {
        this.rulesDir = rulesDir;
    }

    public void listen(Listener auditListener, Consumer<TemplateSet> recompile) {
        this.listener = auditListener;
        this.onChange = recompile;
    }

    public TemplateSet current() {
        TemplateSet set = current.get();
        if (set == null) {
            throw new ApiException(503, "templates_unavailable", "no agent template set is loaded: see GET /api/rules/status",
                    lastRefusal == null ? List.of() : lastRefusal.errors());
        }
        return set;
    }

    public Optional<TemplateSet> loaded() {
        return Optional.ofNullable(current.get());
    }

    public Refusal lastRefusal() {
        return lastRefusal;
    }

    public synchronized boolean reload() {
        TemplateSet candidate = TemplateSet.read(rulesDir);
        TemplateSet live = current.get();
        if (live != null && live.version().equals(candidate.version())) {
            return false;
        }
        try {
            AgentCompiler.compile(candidate, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1, PROBE);
        } catch (AgentCompileException e) {
            Refusal refusal = new Refusal(candidate.version(), Instant.now(), e.reason().equals("policy") ? "policy" : "templates",
                    e.errors());
            lastRefusal = refusal;
            log.warn("agent templates {} refused: {}", candidate.version(), e.errors());
            listener.refused(refusal);
            return false;
        }
        current.set(candidate);
        log.info("agent templates {} loaded", candidate.version());
        listener.loaded(candidate);
        if (live != null) {
            onChange.accept(candidate);
        }
        return true;
    }
}
