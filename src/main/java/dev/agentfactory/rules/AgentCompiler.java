package dev.agentfactory.rules;

import dev.agentfactory.blueprint.BlueprintSpec;
import dev.agentfactory.rules.model.AgentPolicy;
import dev.agentfactory.rules.model.EventFact;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.RequestedContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.drools.template.ObjectDataCompiler;
import java.util.Set;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSessionsPool;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.CompositeKnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.io.ResourceFactory;

/**
 * Generates an agent's rules from the templates (drools-templates) and compiles them into the
 * agent's own knowledge base, then smoke-checks it: it must load and answer a probe.
 */
public final class AgentCompiler {
    private AgentCompiler() {
    }

    public static CompiledAgent compile(TemplateSet templates, UUID organizationId, UUID agentId, UUID deploymentId,
                                        int version, BlueprintSpec spec) {
        long started = System.nanoTime();
        Map<String, String> generated = generate(templates, agentId, version, spec);
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        CompositeKnowledgeBuilder batch = builder.batch();
        generated.forEach((file, drl) -> batch.add(ResourceFactory.newByteArrayResource(
                drl.getBytes(StandardCharsets.UTF_8)).setSourcePath(file), ResourceType.DRL));
        batch.build();
        List<RuleError> errors = new ArrayList<>();
        for (KnowledgeBuilderResult error : builder.getErrors()) {
            if (error.getMessage() != null && error.getMessage().contains("Parser returned a null Package")) {
                continue;
            }
            int line = error.getLines() == null || error.getLines().length == 0 ? 0 : error.getLines()[0];
            errors.add(new RuleError(error.getResource() == null ? "?" : error.getResource().getSourcePath(), line,
                    error.getMessage().trim()));
        }
        if (!errors.isEmpty()) {
            throw new AgentCompileException("compile", "the generated rules do not compile", errors);
        }
        KieBase kieBase = builder.newKieBase();
        KieSessionsPool sessions = RuleRun.pool(kieBase);
        smokeCheck(sessions, spec, version);
        return new CompiledAgent(agentId, organizationId, deploymentId, version, spec, sessions,
                listing(generated), templates.version(), Instant.now(), (System.nanoTime() - started) / 1_000_000,
                Set.copyOf(spec.triggerConfig().eventTriggers()), Set.copyOf(spec.triggerConfig().supportedIntents()), new AgentFacts(sessions));
    }

    /** The generated files as one text for review, each headed by the template it came from. */
    public static String listing(Map<String, String> generated) {
        return String.join("\n", generated.entrySet().stream()
                .map(e -> "// ---- generated from " + e.getKey() + " ----\n" + e.getValue()).toList());
    }

    /**
     * The generated DRL per template, keyed {@code templates/<file>}, without compiling it. A template
     * set that breaks the rule policy is never filled in: drools-templates runs its tags as MVEL.
     */
    public static Map<String, String> generate(TemplateSet templates, UUID agentId, int version, BlueprintSpec spec) {
        List<RuleError> violations = templates.policyViolations();
        if (!violations.isEmpty()) {
            throw new AgentCompileException("policy", "the agent templates break the rule policy", violations);
        }
        Map<String, String> generated = new java.util.LinkedHashMap<>();
        TemplateRows.of(agentId, version, spec).forEach((file, rows) -> {
            String template = templates.texts().get(file);
            if (template == null || template.isBlank()) {
                throw new AgentCompileException("compile", "a template is missing",
                        List.of(new RuleError(TemplateSet.DIR + "/" + file, 0, "the template file is missing or empty")));
            }
            try {
                generated.put(TemplateSet.DIR + "/" + file, new ObjectDataCompiler().compile(rows,
                        new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8))));
            } catch (RuntimeException e) {
                throw new AgentCompileException("compile", "a template cannot be filled in",
                        List.of(new RuleError(TemplateSet.DIR + "/" + file, 0, String.valueOf(e.getMessage()))));
            }
        });
        // What drools-templates generated is what Drools compiles: it strips comments without regard to
        // strings, and a blueprint value lands wherever a template put its tag (inside a string, too).
        List<RuleError> generatedViolations = DrlPolicy.checkAll(generated).stream()
                .map(e -> new RuleError(e.file() + " (as generated)", e.line(), e.message())).toList();
        if (!generatedViolations.isEmpty()) {
            throw new AgentCompileException("policy", "the rules generated from the agent templates break the rule policy",
                    generatedViolations);
        }
        return generated;
    }

    /** The compiled agent must answer a probe: exactly one policy, stating the version it was built from. */
    private static void smokeCheck(KieSessionsPool sessions, BlueprintSpec spec, int version) {
        String probeType = spec.actionConfig().allowedActionTypes().isEmpty()
                ? "Probe" : spec.actionConfig().allowedActionTypes().get(0);
        try {
            RuleRun run = RuleRun.execute(sessions, List.of(
                    new ProposedAction(probeType, 1.0, "probe", List.of(), null, Map.of(), Map.of(), null),
                    new RequestedContext("probe"),
                    new EventFact("probe", "probe", "", Map.of())));
            List<AgentPolicy> policies = run.results(AgentPolicy.class);
            if (policies.size() != 1 || policies.get(0).blueprintVersion() != version || run.exhausted()) {
                throw new AgentCompileException("compile", "the compiled agent failed its smoke check", List.of(new RuleError(
                        TemplateSet.DIR + "/agent-policy.drt", 0,
                        "expected one AgentPolicy for version " + version + ", got " + policies)));
            }
        } catch (AgentCompileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AgentCompileException("compile", "the compiled agent failed its smoke check",
                    List.of(new RuleError("?", 0, String.valueOf(e.getMessage()))));
        }
    }
}
