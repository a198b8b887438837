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
 * @param windows the history windows its rules declare ({@code @window}); empty: no history is read
 */
public record RuleSet(String version, Instant loadedAt, KieSessionsPool sessions, List<String> files,
                      List<RuleInfo> rules, List<HistoryWindow> windows) {
    public RuleSet {
        files = List.copyOf(files);
        rules = List.copyOf(rules);
        windows = List.copyOf(windows);
    }

    public RuleSet(String version, Instant loadedAt, KieSessionsPool sessions, List<String> files,
                   List<RuleInfo> rules) {
        this(version, loadedAt, sessions, files, rules, List.of());
    }

    /** The windows a proposal of {@code actionType} needs; empty on the common path. */
    public List<HistoryWindow> windowsFor(String actionType) {
        return windows.isEmpty() ? List.of() : windows.stream().filter(w -> w.covers(actionType)).toList();
    }
}
