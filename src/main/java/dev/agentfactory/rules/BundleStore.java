package dev.agentfactory.rules;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.cluster.ChangeLog;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import dev.agentfactory.web.Paging;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Policy bundles in PostgreSQL. Publishing is one transaction: the bundle and its files (when the
 * version is new), its activation, their audit entries (system-wide: no organization) and the
 * cluster change every instance applies. Nothing here changes a stored row.
 */
public final class BundleStore {
    public static final String CHANGE = "bundle.activated";

    private final Jdbi jdbi;
    private final AuditLog auditLog;

    public BundleStore(Jdbi jdbi, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
    }

    /**
     * Who publishes or activates, as the bundle, the activation and the audit entries name them.
     *
     * @param actor {@code system} (a watching server), {@code cli:<user>}, or the system administrator's principal
     * @param tokenId the API token used, or null
     * @param traceId the request id, or what set the server off ({@code file change}, {@code start-up})
     */
    public record Origin(String actor, UUID tokenId, String traceId) {
    }

    /**
     * @param published whether the bundle was new and is stored now
     * @param activation the new activation, or null when the bundle was active already
     * @param previous the version active before, or null
     */
    public record Outcome(String version, boolean published, Activation activation, String previous) {
    }

    public record Activation(long id, String version, String activatedBy, Instant activatedAt, String reason) {
    }

    /** A stored bundle as the API shows it. */
    public record Summary(String version, Instant publishedAt, String publishedBy, String source,
                          BuiltBundle.TestSummary tests, int fileCount, boolean active) {
    }

    public record Detail(String version, Instant publishedAt, String publishedBy, String source,
                         BuiltBundle.TestSummary tests, boolean active, List<File> files, List<Activation> activations) {
    }

    /** @param bytes the size of the text in UTF-8 */
    public record File(String path, long bytes) {
    }

    public record Listing(List<Summary> items, int page, int limit, long total, String activeVersion) {
    }

    /** Stores {@code built} (unless stored already) and activates it (unless active already). */
    public Outcome publish(Bundle bundle, BuiltBundle built, String source, Origin origin, String reason) {
        return publish(bundle, built, source, origin, reason, true);
    }

    /**
     * @param activate false to store the bundle only (a candidate: replayed, shadowed, activated later);
     *     the outcome then has no activation and names the bundle still active as {@code previous}
     */
    public Outcome publish(Bundle bundle, BuiltBundle built, String source, Origin origin, String reason,
                           boolean activate) {
        if (!bundle.version().equals(built.version())) {
            throw new IllegalArgumentException("the built bundle is not this bundle");
        }
        return jdbi.inTransaction(handle -> {
            BundleDao dao = handle.attach(BundleDao.class);
            dao.lock();
            boolean published = !dao.exists(bundle.version());
            if (published) {
                dao.insert(bundle.version(), origin.actor(), source, Json.write(built.tests()));
                List<String> paths = new ArrayList<>(bundle.files().keySet());
                dao.insertFiles(bundle.version(), paths, paths.stream().map(bundle.files()::get).toList());
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("version", bundle.version());
                after.put("source", source);
                after.put("files", paths);
                after.put("ruleCount", built.rules().rules().size());
                after.put("tests", built.tests());
                append(handle, origin, "rules.bundle_published", bundle.version(), null, after);
            }
            if (!activate) {
                return new Outcome(bundle.version(), published, null, dao.activeVersion().orElse(null));
            }
            return activate(handle, dao, bundle.version(), published, origin, reason);
        });
    }

    /** Activates a stored bundle (unless active already); 404 when there is none of that version. */
    public Outcome activate(String version, Origin origin, String reason) {
        return jdbi.inTransaction(handle -> {
            BundleDao dao = handle.attach(BundleDao.class);
            dao.lock();
            if (!dao.exists(version)) {
                throw new NotFoundException("policy bundle " + version);
            }
            return activate(handle, dao, version, false, origin, reason);
        });
    }

    private Outcome activate(Handle handle, BundleDao dao, String version, boolean published, Origin origin,
                             String reason) {
        String previous = dao.activeVersion().orElse(null);
        if (version.equals(previous)) {
            return new Outcome(version, published, null, previous);
        }
        BundleDao.ActivationRow row = dao.activate(version, origin.actor(), reason);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("version", version);
        after.put("activationId", row.id());
        after.put("reason", reason);
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("version", previous);
        append(handle, origin, "rules.bundle_activated", version, before, after);
        ChangeLog.record(handle, CHANGE, null, version);
        return new Outcome(version, published, activation(row), previous);
    }

    private void append(Handle handle, Origin origin, String action, String version, Object before, Object after) {
        auditLog.append(handle, new AuditEvent(null, origin.actor(), origin.tokenId(), action, "policy_bundle", version,
                origin.traceId(), before == null ? null : Json.tree(before), Json.tree(after), version, List.of()));
    }

    public Optional<String> activeVersion() {
        return jdbi.withExtension(BundleDao.class, BundleDao::activeVersion);
    }

    /** The active bundle's version and source, if any bundle was ever activated. */
    Optional<BundleDao.Active> active() {
        return jdbi.withExtension(BundleDao.class, BundleDao::active);
    }

    /**
     * The stored files of {@code version} as a bundle. Files that no longer hash to their version
     * were changed behind the server's back (only the database owner can): the bundle then carries
     * that problem, so the builder refuses it and nothing of it is served.
     */
    public Bundle load(String version) {
        List<BundleDao.FileText> rows = jdbi.withExtension(BundleDao.class, dao -> dao.texts(version));
        Map<String, String> files = new LinkedHashMap<>();
        rows.forEach(row -> files.put(row.path(), row.text()));
        Bundle bundle = Bundle.of(files);
        if (bundle.version().equals(version)) {
            return bundle;
        }
        return new Bundle(files, version, List.of(new RuleError(".", 0, "the stored files of bundle " + version
                + " hash to " + bundle.version() + ": they were changed in the database")));
    }

    public Listing list(Paging paging) {
        return jdbi.withHandle(handle -> {
            BundleDao dao = handle.attach(BundleDao.class);
            List<Summary> items = dao.list(paging.limit(), paging.offset()).stream().map(BundleStore::summary).toList();
            return new Listing(items, paging.page(), paging.limit(), dao.count(), dao.activeVersion().orElse(null));
        });
    }

    public Detail get(String version) {
        return jdbi.withHandle(handle -> {
            BundleDao dao = handle.attach(BundleDao.class);
            Summary summary = dao.find(version).map(BundleStore::summary)
                    .orElseThrow(() -> new NotFoundException("policy bundle " + version));
            return new Detail(version, summary.publishedAt(), summary.publishedBy(), summary.source(), summary.tests(),
                    summary.active(), dao.files(version).stream().map(f -> new File(f.path(), f.bytes())).toList(),
                    dao.activations(version).stream().map(BundleStore::activation).toList());
        });
    }

    public String file(String version, String path) {
        return jdbi.withHandle(handle -> {
            BundleDao dao = handle.attach(BundleDao.class);
            if (!dao.exists(version)) {
                throw new NotFoundException("policy bundle " + version);
            }
            return dao.text(version, path)
                    .orElseThrow(() -> new NotFoundException("file " + path + " in policy bundle " + version));
        });
    }

    private static Summary summary(BundleDao.BundleRow row) {
        return new Summary(row.version(), row.publishedAt(), row.publishedBy(), row.source(), tests(row.tests()),
                row.fileCount(), row.active());
    }

    /** Written by the builder; read leniently all the same, so a listing never fails on one odd row. */
    private static BuiltBundle.TestSummary tests(String json) {
        try {
            return Json.MAPPER.readerFor(BuiltBundle.TestSummary.class)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(json);
        } catch (java.io.IOException e) {
            return new BuiltBundle.TestSummary(0, 0);
        }
    }

    private static Activation activation(BundleDao.ActivationRow row) {
        return new Activation(row.id(), row.version(), row.activatedBy(), row.activatedAt(), row.reason());
    }
}
