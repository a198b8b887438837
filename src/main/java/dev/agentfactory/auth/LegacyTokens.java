package dev.agentfactory.auth;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens minted before principals had namespaces are brought in line at start-up, each change
 * audited in the token's organization: an agent's token bound to one agent is renamed into
 * {@code agent:<name>}; any other token holding AGENT (with other roles, or bound to no agent), and
 * any other token than the bootstrap admin's named {@code admin} or {@code system}, is revoked.
 * Nothing is found once this has run.
 */
final class LegacyTokens {
    private static final Logger log = LoggerFactory.getLogger(LegacyTokens.class);

    private LegacyTokens() {
    }

    static void conform(Handle handle, AuditLog auditLog) {
        TokenDao tokens = handle.attach(TokenDao.class);
        for (TokenDao.Row row : tokens.outsideNamespaces()) {
            List<String> roles = Arrays.asList(row.roles());
            boolean boundAgent = roles.equals(List.of(Role.AGENT.name())) && row.agentId() != null
                    && Principals.personProblem(row.principal()).isEmpty();
            if (boundAgent) {
                String renamed = Principals.agent(row.principal(), row.agentId());
                tokens.rename(row.id(), renamed);
                auditLog.append(handle, new AuditEvent(row.organizationId(), "system", "token.renamed", "token",
                        row.id().toString(), "start-up", Json.tree(Map.of("principal", row.principal())),
                        Json.tree(Map.of("principal", renamed, "note", "agents live in the namespace agent:")),
                        null, List.of()));
                log.warn("token {} of agent {} renamed from {} to {}", row.id(), row.agentId(), row.principal(), renamed);
            } else {
                String why = roles.contains(Role.AGENT.name())
                        ? "an AGENT token must have exactly the role AGENT and an agent"
                        : "'" + row.principal() + "' is reserved for the bootstrap admin and the server";
                tokens.revoke(row.id(), "system");
                auditLog.append(handle, new AuditEvent(row.organizationId(), "system", "token.revoked", "token",
                        row.id().toString(), "start-up", Json.tree(Map.of("principal", row.principal(), "roles", roles)),
                        Json.tree(Map.of("principal", row.principal(), "note", why)), null, List.of()));
                log.warn("token {} of {} revoked: {}", row.id(), row.principal(), why);
            }
        }
    }
}
