package dev.agentfactory.rules;

import java.time.Instant;
import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSessionsPool;

/**
 * One compiled, tested, immutable set of the shared rules. Never changed after it is built: a
 * reload builds a new one and swaps it in, so evaluations in flight finish on the set they started with.
 *
 * @param version a hash of every rule and test file's path and content
 */
public record RuleSet(String version, Instant loadedAt, KieBase kieBase, KieSessionsPool sessions, List<String> files,
                      List<RuleInfo> rules) {
    public RuleSet {
        files = List.copyOf(files);
        rules = List.copyOf(rules);
    }

    public RuleSet(String version, Instant loadedAt, KieBase kieBase, List<String> files, List<RuleInfo> rules) {
        this(version, loadedAt, kieBase, RuleRun.pool(kieBase), files, rules);
    }
}
