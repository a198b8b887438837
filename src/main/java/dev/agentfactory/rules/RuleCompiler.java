package dev.agentfactory.rules;

import dev.agentfactory.rules.model.RuleMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.core.impl.RuleBaseFactory;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.internal.conf.ConstraintJittingThresholdOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.CompositeKnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.io.ResourceFactory;

/**
 * Builds a brand-new KieBase from DRL text, compiling only the packages it has not compiled before
 * ({@link CompiledPackages}). It never touches a live KieBase: a set that breaks the
 * rule policy (checked before anything of it is compiled), does not compile, or whose rules lack an
 * id or metadata, comes back as errors with file and line.
 */
public final class RuleCompiler {
    /** Drools adds this after every syntax error; it says nothing the first error did not. */
    private static final String NULL_PACKAGE = "Parser returned a null Package";

    private RuleCompiler() {
    }

    public sealed interface Compilation {
    }

    public record Compiled(RuleSet ruleSet) implements Compilation {
    }

    /** @param reason {@code policy} (a file breaks the rule policy: nothing was compiled) or {@code compile} */
    public record Failed(String reason, List<RuleError> errors) implements Compilation {
    }

    /** Checks every file against the rule policy, and compiles only a set that passes it. */
    public static Compilation compile(RuleSource source) {
        List<RuleError> violations = DrlPolicy.checkAll(source.drl());
        if (!violations.isEmpty()) {
            return new Failed("policy", violations);
        }
        KieBase kieBase = freshKieBase();
        CompiledPackages.Assembly assembly = CompiledPackages.assemble(source.drl(), kieBase);
        List<KnowledgeBuilderResult> reported;
        if (assembly != null) {
            reported = assembly.errors();
        } else {
            kieBase = freshKieBase();
            reported = compileWhole(source, kieBase);
        }
        List<RuleError> errors = new ArrayList<>();
        for (KnowledgeBuilderResult error : reported) {
            if (error.getMessage() != null && error.getMessage().contains(NULL_PACKAGE)) {
                continue;
            }
            String file = error.getResource() == null ? "?" : error.getResource().getSourcePath();
            int line = error.getLines() == null || error.getLines().length == 0 ? 0 : error.getLines()[0];
            String message = error.getMessage().trim();
            errors.add(new RuleError(file, line, message,
                    DrlErrorHints.hint(message, source.drl().get(file)).orElse(null)));
        }
        if (!errors.isEmpty()) {
            return new Failed("compile", sorted(errors));
        }
        List<RuleInfo> rules = new ArrayList<>();
        java.util.Set<HistoryWindow> windows = new java.util.LinkedHashSet<>();
        Map<String, String> idToFile = new HashMap<>();
        for (KiePackage kiePackage : kieBase.getKiePackages()) {
            for (Rule rule : kiePackage.getRules()) {
                String file = rule instanceof RuleImpl impl && impl.getResource() != null
                        ? impl.getResource().getSourcePath() : "?";
                Map<String, Object> meta = rule.getMetaData();
                String problems = RuleMetadata.problems(rule.getName(), meta);
                int line = lineOf(source.drl().get(file), rule.getName());
                if (!problems.isEmpty()) {
                    errors.add(new RuleError(file, line, "rule \"" + rule.getName() + "\": " + problems));
                }
                if (meta.get("window") != null) {
                    try {
                        windows.addAll(HistoryWindow.parse(meta.get("window").toString().replace("\"", "")));
                    } catch (IllegalArgumentException e) {
                        errors.add(new RuleError(file, line, "rule \"" + rule.getName() + "\": " + e.getMessage()));
                    }
                }
                String id = RuleMetadata.id(rule.getName());
                String earlier = idToFile.putIfAbsent(id, file);
                if (earlier != null) {
                    errors.add(new RuleError(file, line, "rule id " + id + " is already used in " + earlier));
                }
                rules.add(new RuleInfo(id, rule.getName(), file, rule.getPackageName(), RuleMetadata.tier(meta),
                        RuleMetadata.severity(meta), RuleMetadata.description(meta)));
            }
        }
        if (!errors.isEmpty()) {
            return new Failed("compile", sorted(errors));
        }
        rules.sort(Comparator.comparing(RuleInfo::id));
        return new Compiled(new RuleSet(source.version(), Instant.now(), RuleRun.pool(kieBase),
                List.copyOf(source.drl().keySet()).stream().sorted().toList(), rules, List.copyOf(windows)));
    }

    /** Every file compiled into {@code kieBase} in one batch (much faster than file by file); Drools's errors. */
    private static List<KnowledgeBuilderResult> compileWhole(RuleSource source, KieBase kieBase) {
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder(kieBase);
        CompositeKnowledgeBuilder batch = builder.batch();
        source.drl().forEach((path, text) -> batch.add(
                ResourceFactory.newByteArrayResource(text.getBytes(StandardCharsets.UTF_8)).setSourcePath(path),
                ResourceType.DRL));
        batch.build();
        return List.copyOf(builder.getErrors());
    }

    /**
     * A knowledge base of its own for every build (never a live one). Its constraints are turned into
     * bytecode at their first evaluation, which happens while the candidate runs its rule tests, before
     * it serves: by default Drools interprets each constraint with MVEL for its first 20 evaluations and
     * then compiles it in the background, so every reload handed the request path a slow phase.
     */
    private static KieBase freshKieBase() {
        KieBaseConfiguration configuration = RuleBaseFactory.newKnowledgeBaseConfiguration();
        configuration.setOption(ConstraintJittingThresholdOption.get(0));
        return KnowledgeBaseFactory.newKnowledgeBase(configuration);
    }

    /** The line where {@code rule "<name>"} starts, for errors Drools reports without one. */
    private static int lineOf(String text, String ruleName) {
        if (text == null) {
            return 0;
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("\"" + ruleName + "\"")) {
                return i + 1;
            }
        }
        return 0;
    }

    private static List<RuleError> sorted(List<RuleError> errors) {
        return errors.stream().distinct()
                .sorted(Comparator.comparing(RuleError::file).thenComparingInt(RuleError::line)).toList();
    }
}
