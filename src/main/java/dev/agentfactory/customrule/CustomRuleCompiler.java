package dev.agentfactory.customrule;

import dev.agentfactory.rules.RuleRun;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.drools.template.ObjectDataCompiler;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.io.ResourceFactory;

/**
 * Renders an organization's custom rules into DRL with drools-templates and compiles them into the
 * organization's own knowledge base. The template is a server resource, not part of the
 * compliance-editable rules folder. What goes into it is generated, never typed by a user: the rule
 * id from its number, the target's enum name, and a formula of {@code test(rule, condition)} calls
 * joined by {@code &&} and {@code ||}; both are checked against a strict shape before rendering.
 */
final class CustomRuleCompiler {
    private static final String TEMPLATE_RESOURCE = "/customrule/custom-rules.drt";
    private static final String TEMPLATE = readTemplate();
    private static final Pattern RULE_ID = Pattern.compile("CUS-[1-9][0-9]*");
    private static final Pattern FORMULA = Pattern.compile("[()&| ,0-9test]+");

    private CustomRuleCompiler() {
    }

    /** Thrown when generated rules do not compile: a bug, reported as a refusal, never installed. */
    static final class Failed extends RuntimeException {
        final List<String> errors;

        Failed(List<String> errors) {
            super("the generated custom rules do not compile: " + errors);
            this.errors = List.copyOf(errors);
        }
    }

    static CustomRuleSet compile(UUID organizationId, long version, List<CustomRule> rules) {
        if (rules.isEmpty()) {
            return CustomRuleSet.empty(organizationId, version);
        }
        List<CustomRuleSet.Compiled> compiled = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CustomRule rule : rules) {
            List<CompiledCondition> conditions = new ArrayList<>();
            rows.add(row(rule, conditions));
            compiled.add(new CustomRuleSet.Compiled(rule, List.copyOf(conditions)));
        }
        String drl = render(rows);
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        builder.add(ResourceFactory.newByteArrayResource(drl.getBytes(StandardCharsets.UTF_8))
                .setSourcePath("custom/" + organizationId + ".drl"), ResourceType.DRL);
        if (!builder.getErrors().isEmpty()) {
            List<String> errors = new ArrayList<>();
            for (KnowledgeBuilderResult error : builder.getErrors()) {
                errors.add(error.getMessage());
            }
            throw new Failed(errors);
        }
        return new CustomRuleSet(organizationId, version, compiled, RuleRun.pool(builder.newKieBase()), null);
    }

    /** The DRL one rule is rendered into, as {@code GET /api/validation/rules/{id}} shows it. */
    static String drl(CustomRule rule) {
        return render(List.of(row(rule, new ArrayList<>())));
    }

    private static Map<String, Object> row(CustomRule rule, List<CompiledCondition> conditions) {
        String formula = formula(rule.definition().when(), rule.number(), conditions);
        if (!RULE_ID.matcher(rule.ruleId()).matches() || !FORMULA.matcher(formula).matches()) {
            throw new IllegalStateException("refusing to render custom rule " + rule.id() + ": unexpected text");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ruleId", rule.ruleId());
        row.put("target", rule.definition().appliesTo().name());
        row.put("condition", formula);
        return row;
    }

    /** Leaves are numbered depth-first; {@code conditions} receives them in that order. */
    private static String formula(Condition condition, int rule, List<CompiledCondition> conditions) {
        if (condition instanceof Condition.Leaf leaf) {
            conditions.add(CompiledCondition.of(leaf));
            return "test(" + rule + ", " + (conditions.size() - 1) + ")";
        }
        boolean all = condition instanceof Condition.All;
        List<Condition> members = all ? ((Condition.All) condition).members() : ((Condition.Any) condition).members();
        List<String> parts = new ArrayList<>();
        for (Condition member : members) {
            parts.add(formula(member, rule, conditions));
        }
        return "(" + String.join(all ? " && " : " || ", parts) + ")";
    }

    private static String render(List<Map<String, Object>> rows) {
        return new ObjectDataCompiler().compile(rows,
                new ByteArrayInputStream(TEMPLATE.getBytes(StandardCharsets.UTF_8)));
    }

    private static String readTemplate() {
        try (InputStream in = CustomRuleCompiler.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TEMPLATE_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
