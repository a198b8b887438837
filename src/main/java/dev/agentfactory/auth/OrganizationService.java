package dev.agentfactory.auth;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.Json;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

public final class OrganizationService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}");

    private final Jdbi jdbi;
    private final AuditLog auditLog;

    public OrganizationService(Jdbi jdbi, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
    }

    public record NewOrganization(String name) {
    }

    public Organization create(Caller caller, NewOrganization request) {
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw new BadRequestException("name",
                    "required: 1-100 characters of letters, digits, spaces and . _ -, starting with a letter or digit");
        }
        return jdbi.inTransaction(handle -> {
            Organization created = handle.attach(OrganizationDao.class).insertIfAbsent(request.name())
                    .orElseThrow(() -> new ConflictException("an organization named '" + request.name() + "' exists"));
            auditLog.append(handle, AuditEvent.by(caller, "organization.created", "organization", created.id(),
                    null, Json.tree(created)).inOrganization(created.id()));
            return created;
        });
    }

    public List<Organization> list() {
        return jdbi.withExtension(OrganizationDao.class, OrganizationDao::list);
    }
}
