package dev.agentfactory.auth;

import dev.agentfactory.audit.AuditEvent;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the organization {@code default} and the bootstrap ADMIN {@code admin}, the system
 * administrator, exist. The admin's token is {@code AF_ADMIN_TOKEN} when set (earlier bootstrap
 * tokens are revoked; a revoked one is never reinstated); otherwise one is generated when none is
 * active (the first start), printed once and written to {@code <data dir>/admin-token} with mode 600.
 */
public final class Bootstrap {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    public static final String DEFAULT_ORGANIZATION = "default";
    public static final String ADMIN_PRINCIPAL = "admin";

    private final Jdbi jdbi;
    private final AuditLog auditLog;

    public Bootstrap(Jdbi jdbi, AuditLog auditLog) {
        this.jdbi = jdbi;
        this.auditLog = auditLog;
    }

    public void run(Optional<String> configuredToken, Path dataDir) {
        Optional<String> generated = jdbi.inTransaction(handle -> {
            handle.attach(TokenDao.class).lockBootstrap();
            UUID organizationId = ensureDefaultOrganization(handle);
            LegacyTokens.conform(handle, auditLog);
            Optional<String> token = configuredToken.isPresent()
                    ? adoptConfiguredToken(handle, organizationId, configuredToken.get())
                    : generateTokenIfNone(handle, organizationId, dataDir);
            // running instances may remember a token revoked here
            for (TokenDao.Revoked revoked : handle.attach(TokenDao.class).revokedInThisTransaction()) {
                AuthService.announceRevoked(handle, revoked.organizationId(), revoked.id());
            }
            return token;
        });
        generated.ifPresent(token -> announce(token, dataDir));
    }

    private UUID ensureDefaultOrganization(Handle handle) {
        OrganizationDao organizations = handle.attach(OrganizationDao.class);
        Optional<Organization> created = organizations.insertIfAbsent(DEFAULT_ORGANIZATION);
        created.ifPresent(org -> auditLog.append(handle, new AuditEvent(org.id(), "system", "organization.created",
                "organization", org.id().toString(), "bootstrap", null, Json.tree(org), null, List.of())));
        return created.or(() -> organizations.findByName(DEFAULT_ORGANIZATION)).orElseThrow().id();
    }

    /**
     * {@code AF_ADMIN_TOKEN} is the admin's token and earlier bootstrap tokens are revoked. A token
     * that was revoked stays revoked, even when it is configured again: whoever revoked it had a
     * reason (a leak), so the operator has to choose a new secret. The server still starts.
     */
    private Optional<String> adoptConfiguredToken(Handle handle, UUID organizationId, String token) {
        TokenDao tokens = handle.attach(TokenDao.class);
        String hash = TokenSecrets.hash(token);
        Optional<TokenDao.Row> existing = tokens.findByHash(hash);
        if (existing.isPresent() && !existing.get().bootstrap()) {
            log.error("AF_ADMIN_TOKEN is the secret of token {} of {}, which is not the bootstrap admin's: it was not"
                    + " adopted. Set AF_ADMIN_TOKEN to a new secret", existing.get().id(), existing.get().principal());
            return Optional.empty();
        }
        if (existing.isPresent() && existing.get().revokedAt() != null) {
            log.error("AF_ADMIN_TOKEN is bootstrap token {}, revoked by {} at {}: it stays revoked. To get an admin"
                    + " token, set AF_ADMIN_TOKEN to a NEW secret and restart", existing.get().id(),
                    existing.get().revokedBy(), existing.get().revokedAt());
            return Optional.empty();
        }
        for (UUID stale : tokens.otherActiveBootstrapTokens(hash)) {
            tokens.revoke(stale, "system");
            audit(handle, organizationId, "token.revoked", stale, "replaced by a new AF_ADMIN_TOKEN");
        }
        if (existing.isEmpty()) {
            UUID id = tokens.insert(organizationId, ADMIN_PRINCIPAL, new String[] {Role.ADMIN.name()}, null, hash,
                    true, "system").id();
            audit(handle, organizationId, "token.created", id, "from AF_ADMIN_TOKEN");
        }
        return Optional.empty();
    }

    /** The file is written inside the transaction: if it cannot be, no token nobody knows is left behind. */
    private Optional<String> generateTokenIfNone(Handle handle, UUID organizationId, Path dataDir) {
        TokenDao tokens = handle.attach(TokenDao.class);
        if (tokens.countActiveBootstrapTokens() > 0) {
            return Optional.empty();
        }
        String token = TokenSecrets.generate();
        UUID id = tokens.insert(organizationId, ADMIN_PRINCIPAL, new String[] {Role.ADMIN.name()}, null,
                TokenSecrets.hash(token), true, "system").id();
        audit(handle, organizationId, "token.created", id, "generated: no bootstrap token was active");
        writeTokenFile(token, dataDir);
        return Optional.of(token);
    }

    private void audit(Handle handle, UUID organizationId, String action, UUID tokenId, String note) {
        auditLog.append(handle, new AuditEvent(organizationId, "system", action, "token", tokenId.toString(),
                "bootstrap", null, Json.tree(Map.of("principal", ADMIN_PRINCIPAL, "roles", List.of("ADMIN"),
                        "note", note)), null, List.of()));
    }

    private static void writeTokenFile(String token, Path dataDir) {
        Path file = dataDir.resolve("admin-token");
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the admin token to " + file, e);
        }
    }

    private static void announce(String token, Path dataDir) {
        Path file = dataDir.resolve("admin-token");
        System.out.println();
        System.out.println("  Admin token (shown once; also written to " + file.toAbsolutePath() + "):");
        System.out.println("  " + token);
        System.out.println();
        log.info("generated the admin token and wrote it to {}", file.toAbsolutePath());
    }
}
