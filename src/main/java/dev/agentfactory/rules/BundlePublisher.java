package dev.agentfactory.rules;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.web.ApiException;
import dev.agentfactory.web.ConflictException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes bundles from this server: the watched rules folder (at start-up, on a saved file, on a
 * forced reload: one path), the rules packed in the jar into an empty database, and activations
 * of stored bundles over the API. Each candidate is built first; a refused one changes nothing.
 * After a publish this instance serves the database's active bundle at once; the others follow
 * through the cluster change feed.
 */
public final class BundlePublisher {
    private static final Logger log = LoggerFactory.getLogger(BundlePublisher.class);
    private static final String SYSTEM = "system";

    private final PolicyEngine engine;
    private final BundleStore store;
    private final BundleSync sync;
    private final Path folder;

    public enum Outcome { LOADED, UNCHANGED, REFUSED }

    /** What publishing the folder did; {@code refusal} only when it was refused. */
    public record Result(Outcome outcome, String version, PolicyStatus status, Refusal refusal) {
    }

    /** @param folder the rules folder this server watches, or null when it watches none */
    public BundlePublisher(PolicyEngine engine, BundleStore store, BundleSync sync, Path folder) {
        this.engine = engine;
        this.store = store;
        this.sync = sync;
        this.folder = folder;
    }

    public Optional<Path> folder() {
        return Optional.ofNullable(folder);
    }

    /**
     * Reads the watched folder; unless it is the active bundle already, builds it, and publishes and
     * activates it (or records its refusal). The audit entries name {@code system}: they are seen by
     * every organization, and a forced reload by one organization's officer must not name them there.
     */
    public synchronized Result publishFolder(String trigger) {
        if (folder == null) {
            throw new ConflictException("this server does not watch a rules folder (AF_RULES_WATCH=false): publish with "
                    + "'agent-factory rules publish <folder>' or activate a stored bundle");
        }
        Bundle bundle = Bundle.read(folder);
        engine.folderRead(bundle.version());
        if (store.activeVersion().filter(bundle.version()::equals).isPresent()) {
            sync.sync(trigger);
            log.info("rules folder {} holds the active policy bundle {} ({})", folder, bundle.version(), trigger);
            return result(Outcome.UNCHANGED, bundle.version());
        }
        BundleBuilder.Result built = engine.build(bundle, trigger);
        if (built instanceof BundleBuilder.Refused refused) {
            return new Result(Outcome.REFUSED, bundle.version(), engine.status(), refused.refusal());
        }
        store.publish(bundle, ((BundleBuilder.Built) built).bundle(), "watcher on " + hostName() + ":" + folder,
                new BundleStore.Origin(SYSTEM, null, trigger), "rules folder: " + trigger);
        sync.sync(trigger);
        return result(Outcome.LOADED, bundle.version());
    }

    /**
     * A server that reads no folder still needs something to serve: with no bundle ever activated it
     * publishes the rules packed in the jar, once (another instance starting at the same moment
     * publishes the same version, which is then simply active already).
     */
    public synchronized void publishPackedIfNone() {
        if (store.activeVersion().isPresent()) {
            return;
        }
        Bundle bundle = DefaultRules.bundle();
        BundleBuilder.Result built = engine.build(bundle, "start-up");
        if (built instanceof BundleBuilder.Refused refused) {
            log.error("the rules packed in the jar were refused: {}", refused.refusal().errors());
            return;
        }
        store.publish(bundle, ((BundleBuilder.Built) built).bundle(), "packed in the jar on " + hostName(),
                new BundleStore.Origin(SYSTEM, null, "start-up"), "no bundle was active: the rules packed in the jar");
    }

    /**
     * Activates a stored bundle (rollback or roll forward) for every instance: the system
     * administrator only, since it switches every organization's rules. The bundle is built here
     * first; a refusal is a 422 and changes nothing.
     */
    public synchronized BundleStore.Outcome activate(Caller caller, String version, String reason) {
        store.get(version);
        String trigger = "activation by " + caller.principal();
        BundleBuilder.Result built = engine.build(version, () -> store.load(version), trigger);
        if (built instanceof BundleBuilder.Refused refused) {
            throw new ApiException(422, "bundle_refused", "policy bundle " + version + " does not build on this server ("
                    + refused.refusal().reason() + "); nothing was activated", refused.refusal().errors());
        }
        BundleStore.Outcome outcome = store.activate(version,
                new BundleStore.Origin(caller.principal(), caller.tokenId(), caller.requestId()), reason);
        sync.sync(trigger);
        return outcome;
    }

    private Result result(Outcome outcome, String version) {
        return new Result(outcome, version, engine.status(), null);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
