package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.web.Json;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds organizations' custom rules from the database: all of them at start-up, and later those
 * another server changed (every server sharing the database converges within a refresh period).
 */
public final class CustomRuleLoader {
    private static final Logger log = LoggerFactory.getLogger(CustomRuleLoader.class);

    private final Jdbi jdbi;
    private final CustomRuleRegistry registry;

    public CustomRuleLoader(Jdbi jdbi, CustomRuleRegistry registry) {
        this.jdbi = jdbi;
        this.registry = registry;
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
