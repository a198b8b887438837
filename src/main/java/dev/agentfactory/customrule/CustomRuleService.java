package dev.agentfactory.customrule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.auth.Caller;
import dev.agentfactory.cluster.ChangeLog;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.FieldProblem;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import dev.agentfactory.web.PreconditionFailedException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.HandleCallback;

/**
 * An organization's custom rules: stored as data, always in the caller's organization. A create or
 * update compiles the organization's whole candidate set and runs every example of every rule
 * first; only a set that passes is stored (with its audit entry, in one transaction) and then
 * swapped in. A refusal stores nothing and is audited. Changes of one organization are serialized
 * by a row lock, on every server.
 */
public final class CustomRuleService {
    static final int MAX_RULES = 100;

    private final Jdbi jdbi;
    private final AuditLog auditLog;
    private final CustomRuleRegistry registry;
    private final CustomRuleExamples examples;

    public CustomRuleService(Jdbi jdbi, AuditLog auditLog, CustomRuleRegistry registry, CustomRuleExamples examples) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
        this.registry = registry;
        this.examples = examples;
    }

    public List<CustomRuleView> list(UUID organizationId) {
        return jdbi.withExtension(CustomRuleDao.class, dao -> dao.active(organizationId)).stream()
                .map(CustomRuleService::view).toList();
    }

    /** One rule of the organization, with the DRL it runs as; another organization's is not found. */
    public CustomRuleView get(UUID organizationId, UUID id) {
        CustomRuleDao.Row row = jdbi.withExtension(CustomRuleDao.class, dao -> dao.find(organizationId, id))
                .orElseThrow(() -> notFound(id));
        String drl;
        try {
            drl = CustomRuleCompiler.drl(CustomRuleLoader.rule(row));
        } catch (RuntimeException e) {
            drl = null;
        }
        return view(row).withDrl(drl);
    }

    public CustomRuleView create(Caller caller, JsonNode body) {
        RuleDefinition definition = DefinitionReader.read(body);
        UUID organizationId = caller.organizationId();
        return change(caller, "create", definition.name(), body, handle -> {
            CustomRuleDao dao = handle.attach(CustomRuleDao.class);
            long version = dao.bumpSetVersion(organizationId);
            List<CustomRule> current = stored(dao.active(organizationId));
            requireFreeName(current, definition.name());
            if (current.size() >= MAX_RULES) {
                throw new ConflictException("the organization has " + MAX_RULES
                        + " custom rules, the most it may have; delete or combine some first");
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            CustomRule created = new CustomRule(UUID.randomUUID(), organizationId, dao.nextNumber(organizationId),
                    definition, 1, caller.principal(), now, caller.principal(), now);
            List<CustomRule> candidate = new ArrayList<>(current);
            candidate.add(created);
            CustomRuleSet set = vet(organizationId, version, candidate);
            dao.insert(created.id(), organizationId, created.number(), definition.name(), definition.appliesTo().json(),
                    Json.write(definition.json()), caller.principal(), now);
            CustomRuleView view = CustomRuleView.of(created);
            auditLog.append(handle, AuditEvent.by(caller, "rules.custom_created", "custom_rule", created.id(), null,
                    Json.tree(view)));
            return new Committed(set, view);
        });
    }

    /**
     * Replaces a rule (its id and {@code ruleId} stay). A stored rule that no longer reads can be
     * replaced too: it is the one thing not read back.
     *
     * @param expected the version the caller last saw ({@code If-Match}), if it said
     */
    public CustomRuleView update(Caller caller, UUID id, JsonNode body, OptionalInt expected) {
        RuleDefinition definition = DefinitionReader.read(body);
        UUID organizationId = caller.organizationId();
        return change(caller, "update", id.toString(), body, handle -> {
            CustomRuleDao dao = handle.attach(CustomRuleDao.class);
            long version = dao.bumpSetVersion(organizationId);
            List<CustomRuleDao.Row> rows = dao.active(organizationId);
            CustomRuleDao.Row existing = rows.stream().filter(r -> r.id().equals(id)).findFirst()
                    .orElseThrow(() -> notFound(id));
            if (expected.isPresent() && expected.getAsInt() != existing.version()) {
                throw new PreconditionFailedException("custom rule " + id + " is at version " + existing.version()
                        + ", not " + expected.getAsInt() + ": fetch it again and reapply your change",
                        List.of(new FieldProblem("If-Match", "expected \"" + existing.version() + "\"")));
            }
            List<CustomRule> candidate = new ArrayList<>(stored(rows.stream().filter(r -> r != existing).toList()));
            requireFreeName(candidate, definition.name());
            CustomRule updated = new CustomRule(id, organizationId, existing.ruleNumber(), definition,
                    existing.version() + 1, existing.createdBy(), existing.createdAt(), caller.principal(),
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            candidate.add(updated);
            CustomRuleSet set = vet(organizationId, version, candidate);
            dao.update(id, definition.name(), definition.appliesTo().json(), Json.write(definition.json()),
                    updated.version(), caller.principal(), updated.updatedAt());
            CustomRuleView view = CustomRuleView.of(updated);
            auditLog.append(handle, AuditEvent.by(caller, "rules.custom_updated", "custom_rule", id,
                    Json.tree(view(existing)), Json.tree(view)));
            return new Committed(set, view);
        });
    }

    /** Deleting needs no vetting: rules do not depend on each other, and a bad rule must always be removable. */
    public void delete(Caller caller, UUID id) {
        UUID organizationId = caller.organizationId();
        Committed committed = jdbi.inTransaction(handle -> {
            CustomRuleDao dao = handle.attach(CustomRuleDao.class);
            long version = dao.bumpSetVersion(organizationId);
            CustomRuleDao.Row existing = dao.find(organizationId, id).orElseThrow(() -> notFound(id));
            dao.delete(id, caller.principal());
            CustomRuleSet set = CustomRuleLoader.build(organizationId, version, dao.active(organizationId));
            CustomRuleView before = view(existing);
            auditLog.append(handle, AuditEvent.by(caller, "rules.custom_deleted", "custom_rule", id,
                    Json.tree(before), null));
            announce(handle, organizationId);
            return new Committed(set, before);
        });
        registry.install(committed.set());
    }

    private record Committed(CustomRuleSet set, CustomRuleView view) {
    }

    /** Every other instance rebuilds the organization's rules once this commits. Last in the transaction. */
    private static void announce(Handle handle, UUID organizationId) {
        ChangeLog.record(handle, CustomRuleLoader.CHANGED, organizationId, organizationId.toString());
    }

    /** Runs a change; a refusal rolls it back and is audited on its own, in the caller's organization. */
    private CustomRuleView change(Caller caller, String operation, String entityId, JsonNode body,
                                  HandleCallback<Committed, RuntimeException> work) {
        Committed committed;
        try {
            committed = jdbi.inTransaction(handle -> {
                Committed done = work.withHandle(handle);
                announce(handle, caller.organizationId());
                return done;
            });
        } catch (CustomRuleRefusedException e) {
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("operation", operation);
            after.put("definition", body);
            after.put("message", e.getMessage());
            after.put("failures", e.details());
            jdbi.useTransaction(handle -> auditLog.append(handle, AuditEvent.by(caller, "rules.custom_refused",
                    "custom_rule", entityId, null, Json.tree(after))));
            throw e;
        }
        // Swapped in only after the commit; the registry keeps whichever set is newest.
        registry.install(committed.set());
        return committed.view();
    }

    /** The candidate set compiled and its examples run: the set, or a refusal naming each example that failed. */
    private CustomRuleSet vet(UUID organizationId, long version, List<CustomRule> candidate) {
        CustomRuleSet set;
        try {
            set = CustomRuleCompiler.compile(organizationId, version, candidate);
        } catch (CustomRuleCompiler.Failed e) {
            throw new CustomRuleRefusedException("the custom rules did not compile; nothing was stored",
                    e.errors.stream().map(error -> new FieldProblem("when", error)).toList());
        }
        List<ExampleFailure> failures = examples.check(set);
        if (!failures.isEmpty()) {
            ExampleFailure first = failures.get(0);
            throw new CustomRuleRefusedException("rule " + first.rule() + " (" + first.ruleId() + ") " + first.field()
                    + ": " + first.problem() + "; nothing was stored", failures);
        }
        return set;
    }

    /** The organization's stored rules; one that no longer reads blocks changes until it is fixed or deleted. */
    private static List<CustomRule> stored(List<CustomRuleDao.Row> rows) {
        List<CustomRule> rules = new ArrayList<>();
        List<ExampleFailure> broken = new ArrayList<>();
        for (CustomRuleDao.Row row : rows) {
            try {
                rules.add(CustomRuleLoader.rule(row));
            } catch (RuntimeException e) {
                broken.add(new ExampleFailure(view(row).name(), CustomRule.ID_PREFIX + row.ruleNumber(), "definition",
                        "the stored rule no longer reads (" + e.getMessage() + "): change or delete it"));
            }
        }
        if (!broken.isEmpty()) {
            throw new CustomRuleRefusedException("a stored custom rule of the organization no longer reads; nothing was "
                    + "stored", broken);
        }
        return rules;
    }

    private static void requireFreeName(List<CustomRule> others, String name) {
        if (others.stream().anyMatch(r -> r.definition().name().equals(name))) {
            throw new ConflictException("the organization has a custom rule named " + name + " already",
                    List.of(new FieldProblem("name", "is taken: choose another name or change that rule")));
        }
    }

    private static CustomRuleView view(CustomRuleDao.Row row) {
        return CustomRuleView.of(row.id(), row.ruleNumber(), Json.read(row.definition(), JsonNode.class), row.version(),
                row.createdBy(), row.createdAt(), row.updatedBy(), row.updatedAt());
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("custom rule " + id);
    }
}
