package dev.agentfactory.rules;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the live rule set and replaces it. A reload reads the whole folder, compiles it into a new
 * KieBase, runs the rule tests on it and only then swaps it in atomically; anything else leaves
 * the old set serving and is recorded as the last refusal. Reloads are serialized.
 */
public final class RuleEngine {
    private static final Logger log = LoggerFactory.getLogger(RuleEngine.class);

    /** Told about every load and refusal (the audit trail, metrics). */
    public interface Listener {
        void loaded(RuleSet ruleSet, String trigger, long millis);

        void refused(Refusal refusal, String trigger, long millis);

        static Listener all(Listener... listeners) {
            return new Listener() {
                @Override
                public void loaded(RuleSet ruleSet, String trigger, long millis) {
                    for (Listener listener : listeners) {
                        listener.loaded(ruleSet, trigger, millis);
                    }
                }

                @Override
                public void refused(Refusal refusal, String trigger, long millis) {
                    for (Listener listener : listeners) {
                        listener.refused(refusal, trigger, millis);
                    }
                }
            };
        }
    }

    public enum Outcome { LOADED, UNCHANGED, REFUSED }

    public record ReloadResult(Outcome outcome, RuleStatus status, Refusal refusal) {
    }

    private final Path dir;
    private final RuleSetCheck check;
    private final Listener listener;
    private final AtomicReference<RuleSet> current = new AtomicReference<>();
    private volatile Refusal lastRefusal;

    public RuleEngine(Path dir, RuleSetCheck check, Listener listener) {
        this.dir = dir;
        this.check = check;
        this.listener = listener;
    }

    public Path dir() {
        return dir;
    }

    /** The live set; a 503 when none has ever loaded. */
    public RuleSet current() {
        RuleSet set = current.get();
        if (set == null) {
            throw new RulesUnavailableException(lastRefusal);
        }
        return set;
    }

    public Optional<RuleSet> loaded() {
        return Optional.ofNullable(current.get());
    }

    public RuleStatus status() {
        RuleSet set = current.get();
        return set == null
                ? new RuleStatus(null, null, 0, List.of(), lastRefusal)
                : new RuleStatus(set.version(), set.loadedAt(), set.rules().size(), set.files(), lastRefusal);
    }

    public synchronized ReloadResult reload(String trigger) {
        return load(RuleSource.read(dir), trigger);
    }

    private ReloadResult load(RuleSource source, String trigger) {
        RuleSet live = current.get();
        if (live != null && live.version().equals(source.version())) {
            return new ReloadResult(Outcome.UNCHANGED, status(), null);
        }
        Refusal known = lastRefusal;
        if (known != null && known.version().equals(source.version()) && !known.reason().equals("tests")) {
            // the same files were refused already (and audited) for what they are: say so again without
            // re-checking them. Tests are re-run: they also depend on the agent templates.
            return new ReloadResult(Outcome.REFUSED, status(), known);
        }
        long started = System.nanoTime();
        Vetted vetted = vet(source);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (vetted.refusal().isPresent()) {
            Refusal refusal = vetted.refusal().get();
            lastRefusal = refusal;
            log.warn("rule set {} refused ({}, {}): {}", refusal.version(), refusal.reason(), trigger, refusal.errors());
            listener.refused(refusal, trigger, millis);
            return new ReloadResult(Outcome.REFUSED, status(), refusal);
        }
        RuleSet set = vetted.ruleSet();
        current.set(set);
        log.info("rule set {} loaded ({} rules from {} files, {} ms, {})", set.version(), set.rules().size(),
                set.files().size(), millis, trigger);
        listener.loaded(set, trigger, millis);
        return new ReloadResult(Outcome.LOADED, status(), null);
    }

    private record Vetted(RuleSet ruleSet, Optional<Refusal> refusal) {
    }

    private Vetted vet(RuleSource source) {
        RuleCompiler.Compilation compilation;
        try {
            compilation = RuleCompiler.compile(source);
        } catch (RuntimeException e) {
            // Drools throws on a few malformed inputs instead of reporting them: still a refusal, never a crash.
            return refuse(source, "compile", List.of(new RuleError("?", 0, String.valueOf(e.getMessage()))));
        }
        if (compilation instanceof RuleCompiler.Failed failed) {
            return refuse(source, failed.reason(), failed.errors());
        }
        RuleSet set = ((RuleCompiler.Compiled) compilation).ruleSet();
        List<RuleError> testFailures = check.check(set, source);
        if (!testFailures.isEmpty()) {
            return refuse(source, "tests", testFailures);
        }
        return new Vetted(set, Optional.empty());
    }

    private static Vetted refuse(RuleSource source, String reason, List<RuleError> errors) {
        return new Vetted(null, Optional.of(new Refusal(source.version(), Instant.now(), reason, errors)));
    }
}
