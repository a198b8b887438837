package dev.agentfactory.auth;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ConflictException;
import dev.agentfactory.web.ForbiddenException;
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

    /** Only the system administrator creates organizations. */
    public Organization create(Caller caller, NewOrganization request) {
        if (!caller.systemAdmin()) {
            throw new ForbiddenException("only the system administrator (the bootstrap admin) creates organizations;"
                    + " an organization's ADMIN manages its own organization");
        }
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

    /** Every organization for the system administrator; an organization's ADMIN sees its own. */
    public List<Organization> list(Caller caller) {
        return jdbi.withExtension(OrganizationDao.class, dao -> caller.systemAdmin() ? dao.list()
                : dao.find(caller.organizationId()).stream().toList());
    }
}
