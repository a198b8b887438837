package dev.agentfactory.rules;

import java.time.Instant;
import java.util.List;
import org.kie.api.runtime.KieSessionsPool;

/**
 * One compiled, tested, immutable set of the shared rules. Never changed after it is built: a
 * reload builds a new one and swaps it in, so evaluations in flight finish on the set they started with.
 *
 * @param version a hash of every rule and test file's path and content
 * @param sessions sessions on the compiled knowledge base (the pool holds the knowledge base)
 */
public record RuleSet(String version, Instant loadedAt, KieSessionsPool sessions, List<String> files,
                      List<RuleInfo> rules) {
    public RuleSet {
        files = List.copyOf(files);
        rules = List.copyOf(rules);
    }
}
