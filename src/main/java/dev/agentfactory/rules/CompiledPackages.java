package dev.agentfactory.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.core.impl.InternalRuleBase;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.CompositeKnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.io.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared rules' DRL packages, each compiled once per exact text of its files, so a saved file
 * recompiles only its own package: every build ran the whole rule compiler (DRL parser, MVEL, the Java
 * compiler) over every file, and the JIT compiled that compiler's code into the decisions' CPU. The
 * rule policy refuses {@code function}, {@code global}, {@code declare} and {@code query}, and rule
 * files import only the fact model, so packages cannot depend on one another.
 *
 * <p>A compiled package kept here is never served: each new knowledge base gets a deep copy of it (its
 * classes defined again in that knowledge base's class loader), so no knowledge base shares anything
 * with another, as when everything was compiled anew. Anything unexpected (a file whose package is not
 * read as Drools reads it, rules lost on the way) and {@link #assemble} says so, and the caller compiles
 * the whole set instead.
 */
final class CompiledPackages {
    private static final Logger log = LoggerFactory.getLogger(CompiledPackages.class);
    /** Packages kept (a few hundred kB each); a bundle has about ten. */
    private static final int KEPT = 64;

    /**
     * Compiled packages by the exact text of their files (path to text), never added to a knowledge base:
     * the files' own package, and the rule-less packages Drools made beside it for the types they import.
     */
    private static final Map<SortedMap<String, String>, List<KiePackage>> PRISTINE = Collections.synchronizedMap(
            Lru.map(KEPT));

    /** Packages compiled so far (not taken from {@link #PRISTINE}): what a reload costs, for tests. */
    private static final java.util.concurrent.atomic.AtomicLong COMPILED = new java.util.concurrent.atomic.AtomicLong();

    /** Copies are made one at a time: a copy reads the kept package while another build may read it too. */
    private static final Object COPYING = new Object();

    private CompiledPackages() {
    }

    /** What {@link #assemble} came to: Drools's errors (nothing was added then), or none and a filled knowledge base. */
    record Assembly(List<KnowledgeBuilderResult> errors) {
    }

    /**
     * Fills {@code kieBase} with the packages of {@code drl}: those compiled before as copies, the others
     * compiled now (and kept). Null when the set must be compiled whole instead; {@code kieBase} is then
     * not to be used.
     */
    static Assembly assemble(Map<String, String> drl, KieBase kieBase) {
        Map<String, SortedMap<String, String>> groups = byPackage(drl);
        if (groups == null) {
            return null;
        }
        List<KiePackage> packages = new ArrayList<>();
        Map<String, SortedMap<String, String>> missing = new TreeMap<>();
        groups.forEach((name, files) -> {
            List<KiePackage> kept = PRISTINE.get(files);
            if (kept == null) {
                missing.put(name, files);
            } else {
                packages.addAll(kept);
            }
        });
        if (!missing.isEmpty()) {
            KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
            CompositeKnowledgeBuilder batch = builder.batch();
            missing.values().forEach(files -> files.forEach((path, text) -> batch.add(
                    ResourceFactory.newByteArrayResource(text.getBytes(StandardCharsets.UTF_8)).setSourcePath(path),
                    ResourceType.DRL)));
            batch.build();
            if (builder.hasErrors()) {
                return new Assembly(List.copyOf(builder.getErrors()));
            }
            Map<String, KiePackage> built = new HashMap<>();
            List<KiePackage> imported = new ArrayList<>();
            for (KiePackage pkg : builder.getKnowledgePackages()) {
                if (missing.containsKey(pkg.getName())) {
                    built.put(pkg.getName(), pkg);
                } else if (pkg.getRules().isEmpty()) {
                    imported.add(pkg);
                } else {
                    return null;
                }
            }
            if (!built.keySet().equals(missing.keySet())
                    || !built.values().stream().allMatch(CompiledPackages::keptPristine)
                    || !imported.stream().allMatch(CompiledPackages::keptPristine)) {
                return null;
            }
            COMPILED.addAndGet(missing.size());
            missing.forEach((name, files) -> {
                List<KiePackage> compiled = new ArrayList<>(imported);
                compiled.add(0, built.get(name));
                PRISTINE.put(files, List.copyOf(compiled));
                packages.add(built.get(name));
            });
            packages.addAll(imported);
        }
        // the same rule-less package comes with every group of its batch: added once
        Set<KiePackage> once = Collections.newSetFromMap(new IdentityHashMap<>());
        List<KiePackage> all = packages.stream().filter(once::add).toList();
        try {
            synchronized (COPYING) {
                ((InternalRuleBase) kieBase).addPackages(all);
            }
        } catch (RuntimeException e) {
            log.warn("compiled rule packages could not be copied into a new knowledge base ({}); compiling every "
                    + "package instead", e.toString());
            return null;
        }
        int expected = all.stream().mapToInt(pkg -> pkg.getRules().size()).sum();
        int found = kieBase.getKiePackages().stream().mapToInt(pkg -> pkg.getRules().size()).sum();
        return expected == found ? new Assembly(List.of()) : null;
    }

    /** How many packages this process has compiled (rather than copied) so far. */
    static long compiled() {
        return COMPILED.get();
    }

    /**
     * Marks a freshly compiled package as in use without adding it anywhere: from now on Drools hands
     * every knowledge base it is added to a deep copy, and this one stays as compiled.
     */
    private static boolean keptPristine(KiePackage pkg) {
        return ((InternalKnowledgePackage) pkg).deepCloneIfAlreadyInUse(null) == pkg;
    }

    /**
     * The files by the package their first statement names (the policy's own lexer: comments and strings
     * are not read as code); null when a file names none (Drools's default package) or cannot be lexed.
     */
    static Map<String, SortedMap<String, String>> byPackage(Map<String, String> drl) {
        Map<String, SortedMap<String, String>> groups = new TreeMap<>();
        for (Map.Entry<String, String> file : drl.entrySet()) {
            String name = packageOf(file.getValue());
            if (name == null) {
                return null;
            }
            groups.computeIfAbsent(name, n -> new TreeMap<>()).put(file.getKey(), file.getValue());
        }
        return groups;
    }

    private static String packageOf(String text) {
        DrlTokens.Result lexed = DrlTokens.lex(text);
        List<DrlTokens.Token> tokens = lexed.tokens();
        if (lexed.problem() != null || tokens.isEmpty() || !tokens.get(0).is("package")) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        boolean identifierNext = true;
        for (DrlTokens.Token token : tokens.subList(1, tokens.size())) {
            if (identifierNext && token.kind() == DrlTokens.Kind.IDENTIFIER) {
                name.append(token.text());
                identifierNext = false;
            } else if (!identifierNext && token.is(".")) {
                name.append('.');
                identifierNext = true;
            } else {
                break;
            }
        }
        return identifierNext ? null : name.toString();
    }
}
