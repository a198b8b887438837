package dev.agentfactory.audit;

import dev.agentfactory.web.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which key the trail is sealed with. {@code audit_keys} holds one row per key epoch: the key's
 * fingerprint and a MAC of the row. A server starts only with the key of the latest epoch; a new
 * epoch begins only when the operator names the fingerprint of the key being given up
 * ({@code AF_AUDIT_NEW_EPOCH}), so a mistyped or missing key never starts a new trail by accident.
 * The entries still waiting for their seal then, MACed with the lost key, are sealed at once as
 * {@code earlier-key}: that is the only moment the server seals an entry it cannot check.
 * Instances starting together take turns through an advisory lock.
 */
final class AuditKeyEpochs {
    private static final Logger log = LoggerFactory.getLogger(AuditKeyEpochs.class);
    private static final int FINGERPRINT_SHOWN = 16;

    private final Jdbi jdbi;
    private final AuditKeyFile file;

    AuditKeyEpochs(Jdbi jdbi, Path dataDir) {
        this.jdbi = jdbi;
        this.file = new AuditKeyFile(dataDir);
    }

    private record Epoch(int epoch, String fingerprint, String mac) {
        String shown() {
            return fingerprint.substring(0, FINGERPRINT_SHOWN);
        }
    }

    /** A key and where it came from, for messages (never the key itself). */
    private record Secret(String text, String source) {
    }

    AuditKey adopt(Optional<String> configured, Optional<String> newEpoch) {
        Optional<Secret> secret = configured.map(key -> new Secret(key.trim(), "AF_AUDIT_KEY"))
                .or(() -> file.read().map(key -> new Secret(key, file.path().toString())));
        AuditKey key = jdbi.inTransaction(handle -> {
            handle.createQuery("select 1 from pg_advisory_xact_lock(hashtext('agent-factory-audit-key'))")
                    .mapTo(Integer.class).one();
            Optional<Epoch> latest = handle.createQuery(
                            "select epoch, fingerprint, mac from audit_keys order by epoch desc limit 1")
                    .map((rs, ctx) -> new Epoch(rs.getInt("epoch"), rs.getString("fingerprint"), rs.getString("mac")))
                    .findOne();
            if (latest.isEmpty()) {
                return start(handle, secret, null, "first key of this audit trail");
            }
            Epoch current = latest.get();
            Optional<AuditKey> candidate = secret.map(s -> parse(s, current.epoch()));
            if (candidate.isPresent() && candidate.get().fingerprint().equals(current.fingerprint())) {
                AuditKey matching = candidate.get();
                if (!AuditKey.same(rowMac(matching, current.epoch(), current.fingerprint()), current.mac())) {
                    throw new IllegalStateException("the audit_keys row of key epoch " + current.epoch()
                            + " does not match its MAC: it was changed behind the server's back");
                }
                newEpoch.ifPresent(ignored -> log.info("AF_AUDIT_NEW_EPOCH is set, but the audit key is the one of the "
                        + "current epoch {}: nothing to do (unset it)", current.epoch()));
                return matching;
            }
            if (newEpoch.isPresent()) {
                String named = newEpoch.get().trim().toLowerCase(Locale.ROOT);
                if (named.length() < FINGERPRINT_SHOWN || !current.fingerprint().startsWith(named)) {
                    // The value is not echoed: an operator may have put the key itself there.
                    throw new IllegalStateException("AF_AUDIT_NEW_EPOCH does not name the fingerprint of the current "
                            + "audit key (epoch " + current.epoch() + ", fingerprint " + current.shown() + ")");
                }
                return start(handle, secret, current, "AF_AUDIT_NEW_EPOCH: the key of epoch " + current.epoch()
                        + " was given up");
            }
            throw new IllegalStateException(notTheKey(candidate, secret, current));
        });
        log.info("audit key: epoch {}, fingerprint {}, from {}", key.epoch(), key.shortFingerprint(),
                configured.isPresent() ? "AF_AUDIT_KEY" : file.path());
        return key;
    }

    /** One line: which key the trail wants, and the two ways out. */
    private String notTheKey(Optional<AuditKey> candidate, Optional<Secret> secret, Epoch current) {
        String given = candidate.isPresent()
                ? "the audit key from " + secret.orElseThrow().source() + " (fingerprint "
                        + candidate.get().shortFingerprint() + ") is not the key this database's audit trail is sealed with"
                : "no audit key: AF_AUDIT_KEY is unset and " + file.path() + " does not exist, but this database's "
                        + "audit trail is sealed with a key";
        return given + " (epoch " + current.epoch() + ", fingerprint " + current.shown() + "): restore that key in "
                + "AF_AUDIT_KEY or " + file.path() + ", or, if it is lost for good, start once with "
                + "AF_AUDIT_NEW_EPOCH=" + current.shown() + " to begin a new key epoch";
    }

    /** Records a new epoch for the key in {@code secret} (generated into the file when there is none). */
    private AuditKey start(Handle handle, Optional<Secret> secret, Epoch previous, String reason) {
        int epoch = previous == null ? 1 : previous.epoch() + 1;
        Secret chosen = secret.orElseGet(() -> new Secret(file.generate(), file.path().toString()));
        AuditKey key = parse(chosen, epoch);
        handle.createUpdate("insert into audit_keys (epoch, fingerprint, mac) values (:epoch, :fingerprint, :mac)")
                .bind("epoch", epoch).bind("fingerprint", key.fingerprint())
                .bind("mac", rowMac(key, epoch, key.fingerprint())).execute();
        if (previous != null) {
            int waiting = new AuditSealer(jdbi, key).sealAtEpochStart(handle);
            log.warn("started audit key epoch {} (fingerprint {}); the entries of epoch {} (fingerprint {}), and the {} "
                    + "that were still waiting for their seal, can no longer be verified by this server", epoch,
                    key.shortFingerprint(), previous.epoch(), previous.shown(), waiting);
        }
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("epoch", epoch);
        after.put("fingerprint", key.shortFingerprint());
        after.put("previousFingerprint", previous == null ? null : previous.shown());
        after.put("reason", reason);
        new AuditLog(jdbi, key).append(handle, new AuditEvent(null, "system", "audit.key_epoch_started", "audit_key",
                String.valueOf(epoch), "start-up", null, Json.tree(after), null, List.of()));
        return key;
    }

    private static AuditKey parse(Secret secret, int epoch) {
        try {
            return AuditKey.of(secret.text(), epoch);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the audit key from " + secret.source() + " is unusable: " + e.getMessage());
        }
    }

    private static String rowMac(AuditKey key, int epoch, String fingerprint) {
        return key.macOf("af-audit-epoch-1", epoch, fingerprint);
    }
}
