package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.cluster.ChangeFeed;
import dev.agentfactory.db.DatabaseErrors;
import dev.agentfactory.web.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds organizations' custom rules from the database: all of them at start-up, and later those
 * another server changed. A change is announced in the transaction that makes it
 * ({@link #CHANGED}); the rebuild runs on this loader's own thread, so a slow compile never holds
 * up the other changes an instance applies.
 */
public final class CustomRuleLoader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CustomRuleLoader.class);

    /** An organization's custom rules changed: the subject and the organization are its id. */
    static final String CHANGED = "custom_rules.changed";

    private final Jdbi jdbi;
    private final CustomRuleRegistry registry;
    private final Set<UUID> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService rebuilds = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "custom-rules-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    public CustomRuleLoader(Jdbi jdbi, CustomRuleRegistry registry) {
        this.jdbi = jdbi;
        this.registry = registry;
    }

    /** Rebuilds an organization when any instance changed its rules, and every stale one after a reconnect. */
    public void listenTo(ChangeFeed changes) {
        changes.on(CHANGED, change -> refreshLater(change.organizationId()))
                .onReconnect(() -> rebuilds.execute(this::refreshLogged));
    }

    /** Rebuilds every organization whose stored version is newer than the one in memory; returns how many. */
    public int refresh() {
        int rebuilt = 0;
        for (CustomRuleDao.SetVersion stored : jdbi.withExtension(CustomRuleDao.class, CustomRuleDao::setVersions)) {
            if (stored.version() > registry.version(stored.organizationId())) {
                registry.install(load(stored.organizationId()));
                rebuilt++;
            }
        }
        return rebuilt;
    }

    /** Each organization's stored version: what every instance should serve. */
    public Map<UUID, Long> desiredVersions() {
        Map<UUID, Long> versions = new HashMap<>();
        jdbi.withExtension(CustomRuleDao.class, CustomRuleDao::setVersions)
                .forEach(stored -> versions.put(stored.organizationId(), stored.version()));
        return versions;
    }

    /** Queued once however many changes arrive meanwhile; the set installs only if it is newer. */
    private void refreshLater(UUID organizationId) {
        if (organizationId != null && pending.add(organizationId)) {
            rebuilds.execute(() -> {
                pending.remove(organizationId);
                try {
                    registry.install(load(organizationId));
                } catch (RuntimeException e) {
                    DatabaseErrors.warn(log, "could not rebuild the custom rules of organization " + organizationId
                            + "; the next change or reconnect tries again", e);
                }
            });
        }
    }

    private void refreshLogged() {
        try {
            refresh();
        } catch (RuntimeException e) {
            DatabaseErrors.warn(log, "could not rebuild the custom rules after a reconnect", e);
        }
    }

    @Override
    public void close() {
        rebuilds.shutdownNow();
        try {
            rebuilds.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The organization's stored rules, compiled. */
    CustomRuleSet load(UUID organizationId) {
        return jdbi.inTransaction(handle -> {
            CustomRuleDao dao = handle.attach(CustomRuleDao.class);
            // The version first: rules read after it are at least that new, so a set is never labelled newer than it is.
            long version = dao.setVersion(organizationId).orElse(0L);
            return build(organizationId, version, dao.active(organizationId));
        });
    }

    /** Stored rows compiled; rows that no longer read or compile give an unavailable set, which fails closed. */
    static CustomRuleSet build(UUID organizationId, long version, List<CustomRuleDao.Row> rows) {
        try {
            return CustomRuleCompiler.compile(organizationId, version, rows.stream().map(CustomRuleLoader::rule).toList());
        } catch (RuntimeException e) {
            log.error("the custom rules of organization {} cannot be used: its actions will need a human and its "
                    + "blueprints fail validation until they are fixed: {}", organizationId, e.getMessage());
            return CustomRuleSet.unavailable(organizationId, version, e.getMessage());
        }
    }

    static CustomRule rule(CustomRuleDao.Row row) {
        RuleDefinition definition = DefinitionReader.read(Json.read(row.definition(), JsonNode.class));
        return new CustomRule(row.id(), row.organizationId(), row.ruleNumber(), definition, row.version(),
                row.createdBy(), row.createdAt(), row.updatedBy(), row.updatedAt());
    }
}
