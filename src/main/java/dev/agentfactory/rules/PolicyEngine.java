package dev.agentfactory.rules;

import dev.agentfactory.web.ApiException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy this instance serves: one {@link ActiveBundle}, its shared rules and agent templates
 * swapped in together, atomically; evaluations in flight finish on the bundle they started with.
 * Candidates go through the {@link BundleBuilder}, once per version: the builder keeps what it built
 * (a quick rollback), this engine the versions it refused (the same files are not checked and
 * audited again). One listener list hears every swap and refusal.
 */
public final class PolicyEngine {
    private static final Logger log = LoggerFactory.getLogger(PolicyEngine.class);
    /** Refused versions remembered. */
    private static final int KEPT = 4;

    /** Told about every bundle swapped in and every one refused (the audit trail, metrics, live agents). */
    public interface Listener {
        /** @param previous the bundle served before, or null for the first one */
        default void activated(ActiveBundle bundle, ActiveBundle previous, String trigger) {
        }

        default void refused(Refusal refusal, String trigger, long millis) {
        }
    }

    private final BundleBuilder builder;
    private final Path watching;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<ActiveBundle> serving = new AtomicReference<>();
    private final Map<String, BundleBuilder.Refused> refused = Lru.map(KEPT);
    private volatile Refusal lastRefusal;
    private volatile String activeVersion;
    private volatile String folderVersion;

    /** @param watching the rules folder this instance publishes from (for the status), or null */
    public PolicyEngine(BundleBuilder builder, Path watching) {
        this.builder = builder;
        this.watching = watching;
    }

    public PolicyEngine listen(Listener listener) {
        listeners.add(listener);
        return this;
    }

    /** The bundle being served; a 503 when none has ever loaded. */
    public ActiveBundle active() {
        ActiveBundle bundle = serving.get();
        if (bundle == null) {
            throw new RulesUnavailableException(lastRefusal);
        }
        return bundle;
    }

    /** The shared rules being served; a 503 when none have ever loaded. */
    public RuleSet current() {
        return active().rules();
    }

    /** The agent templates being served; a 503 when none have ever loaded. */
    public TemplateSet templates() {
        ActiveBundle bundle = serving.get();
        if (bundle == null) {
            throw new ApiException(503, "templates_unavailable", "no agent templates are loaded: see GET /api/rules/status",
                    lastRefusal == null ? List.of() : lastRefusal.errors());
        }
        return bundle.templates();
    }

    public Optional<ActiveBundle> loaded() {
        return Optional.ofNullable(serving.get());
    }

    /** The version being served, or null. */
    public String version() {
        ActiveBundle bundle = serving.get();
        return bundle == null ? null : bundle.version();
    }

    public Optional<Refusal> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    /** What the database said is active, the last time this instance looked. */
    void activeInDatabase(String version) {
        this.activeVersion = version;
    }

    /** The version of the watched folder's files, the last time they were read (told by the publisher). */
    void folderRead(String version) {
        this.folderVersion = version;
    }

    public PolicyStatus status() {
        ActiveBundle bundle = serving.get();
        String active = activeVersion;
        String folder = watching == null ? null : watching.toString();
        Refusal refusal = lastRefusal;
        PolicyStatus.RefusalState state = refusalState(refusal, bundle);
        if (bundle == null) {
            return new PolicyStatus(null, null, null, 0, List.of(), new PolicyStatus.Templates(null), null, active,
                    false, refusal, state, folder);
        }
        return new PolicyStatus(bundle.version(), bundle.loadedAt(), bundle.source(), bundle.rules().rules().size(),
                bundle.built().files(), new PolicyStatus.Templates(bundle.templates().version()), bundle.built().tests(),
                active, bundle.version().equals(active), refusal, state, folder);
    }

    /**
     * Whether {@code refusal} still matters: its files are still in the watched folder, or they are gone
     * and a bundle served since (or the folder holds the serving bundle again, e.g. the broken file was
     * deleted), or neither yet.
     */
    private PolicyStatus.RefusalState refusalState(Refusal refusal, ActiveBundle bundle) {
        if (refusal == null) {
            return null;
        }
        String onFolder = folderVersion;
        String keeps = bundle == null ? "no bundle serves" : "bundle " + bundle.version() + " keeps serving";
        if (onFolder != null && onFolder.equals(refusal.version())) {
            return new PolicyStatus.RefusalState(false, true, "still on disk: the refused files are in " + watching
                    + "; fix the errors and save, " + keeps);
        }
        if (bundle != null && (bundle.loadedAt().isAfter(refusal.at()) || bundle.version().equals(onFolder))) {
            return new PolicyStatus.RefusalState(true, false, "resolved: bundle " + bundle.version() + " serves"
                    + (bundle.version().equals(onFolder) ? ", the files in " + watching : " since " + bundle.loadedAt()));
        }
        return new PolicyStatus.RefusalState(false, false, "not resolved yet: " + keeps);
    }

    /** Builds {@code bundle}, unless its version was built or refused already. */
    public BundleBuilder.Result build(Bundle bundle, String trigger) {
        return build(bundle.version(), () -> bundle, trigger);
    }

    /**
     * The built bundle of {@code version} (reading its files only when it is not built yet), or its
     * refusal. A refusal is recorded (status, log, listeners) unless it is the last one recorded
     * already: saving the same broken file twice is one refusal. Builds take turns.
     */
    public synchronized BundleBuilder.Result build(String version, Supplier<Bundle> files, String trigger) {
        BundleBuilder.Result result = refused.containsKey(version) ? refused.get(version)
                : BundleBuilder.builtBefore(version).orElse(null);
        long millis = 0;
        if (result == null) {
            long started = System.nanoTime();
            // the first bundle warms up before the server is ready; a later one replaces a bundle serving now
            result = (serving.get() == null ? builder : builder.withoutWarmUp()).build(files.get());
            millis = (System.nanoTime() - started) / 1_000_000;
            if (result instanceof BundleBuilder.Refused refusal) {
                refused.put(version, refusal);
            }
        }
        if (result instanceof BundleBuilder.Refused refused) {
            Refusal known = lastRefusal;
            if (known == null || !known.version().equals(version)) {
                Refusal refusal = refused.refusal();
                log.warn("policy bundle {} refused ({}, {}): {}", version, refusal.reason(), trigger, refusal.errors());
                for (Listener listener : listeners) {
                    try {
                        listener.refused(refusal, trigger, millis);
                    } catch (RuntimeException e) {
                        log.error("a policy bundle listener failed on the refusal of {}", version, e);
                    }
                }
                // shown on the status once audited: whoever sees the refusal there finds it in the trail
                lastRefusal = refusal;
            }
        }
        return result;
    }

    /** Serves {@code bundle} from now on (nothing happens when it is served already). */
    public synchronized void serve(BuiltBundle bundle, String source, String trigger) {
        ActiveBundle previous = serving.get();
        if (previous != null && previous.version().equals(bundle.version())) {
            return;
        }
        ActiveBundle next = new ActiveBundle(bundle, source, Instant.now());
        serving.set(next);
        log.info("policy bundle {} serving ({} rules, {} files, {} rule test cases, built in {} ms, warmed up by {} more "
                        + "rounds of its action cases; from {}; {})", bundle.version(), bundle.rules().rules().size(),
                bundle.files().size(), bundle.tests().cases(), bundle.millis(), bundle.warmUpRounds(), source, trigger);
        for (Listener listener : listeners) {
            try {
                listener.activated(next, previous, trigger);
            } catch (RuntimeException e) {
                log.error("a policy bundle listener failed on {}", bundle.version(), e);
            }
        }
    }
}
