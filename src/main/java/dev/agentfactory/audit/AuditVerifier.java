package dev.agentfactory.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * Re-walks a hash chain from its first entry and reports the first broken link: an entry whose
 * content no longer matches its hash, or whose prev_hash is not its predecessor's hash (an entry
 * was changed, removed or inserted behind the server's back). Streams the chain, whatever its
 * length. Entries that are neither sealed nor waiting for a seal were written with the queueing
 * trigger switched off, behind the server's back, and make the chain invalid too.
 */
public final class AuditVerifier {
    private final Jdbi jdbi;

    public AuditVerifier(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Map<String, Object> verify(UUID organizationId) {
        return jdbi.inTransaction(handle -> {
            long unsealed = handle.createQuery("select count(*) from audit_unsealed where "
                            + AuditChain.chain("chain", organizationId))
                    .bind("organizationId", organizationId).mapTo(Long.class).one();
            Map<String, Object> report = new LinkedHashMap<>();
            long verified = 0;
            String previous = "";
            long expectedSeq = 1;
            try (Stream<AuditChain.Sealed> entries = handle.createQuery("select s.seal_seq, s.prev_hash, s.hash, "
                            + AuditChain.CONTENT
                            + " from audit_seals s join audit_log a on a.id = s.audit_id where "
                            + AuditChain.chain("s.chain", organizationId) + " order by s.seal_seq")
                    .bind("organizationId", organizationId).setFetchSize(1_000)
                    .map(AuditChain.SEALED).stream()) {
                for (AuditChain.Sealed entry : (Iterable<AuditChain.Sealed>) entries::iterator) {
                    String problem = null;
                    if (entry.sealSeq() != expectedSeq) {
                        problem = "entry " + expectedSeq + " of the chain is missing";
                    } else if (!previous.equals(entry.prevHash())) {
                        problem = "its prev_hash does not match the hash of the entry before it";
                    } else if (!AuditChain.hash(previous, entry.content()).equals(entry.hash())) {
                        problem = "its content does not match its hash: it was changed after it was written";
                    }
                    if (problem != null) {
                        report.put("valid", false);
                        report.put("firstBrokenEntry", Map.of("id", entry.id(), "sealSeq", entry.sealSeq(),
                                "problem", problem));
                        report.put("verifiedBeforeIt", verified);
                        report.put("unsealed", unsealed);
                        return report;
                    }
                    previous = entry.hash();
                    expectedSeq++;
                    verified++;
                }
            }
            Optional<Long> outside = handle.createQuery("select a.id from audit_log a where "
                            + AuditChain.chain("a.organization_id", organizationId)
                            + " and not exists (select 1 from audit_seals s where s.audit_id = a.id)"
                            + " and not exists (select 1 from audit_unsealed u where u.audit_id = a.id)"
                            + " order by a.id limit 1")
                    .bind("organizationId", organizationId).mapTo(Long.class).findOne();
            if (outside.isPresent()) {
                report.put("valid", false);
                report.put("firstBrokenEntry", Map.of("id", outside.get(),
                        "problem", "it is outside the chain: it was written behind the server's back"));
                report.put("verifiedBeforeIt", verified);
                report.put("unsealed", unsealed);
                return report;
            }
            report.put("valid", true);
            report.put("verified", verified);
            report.put("unsealed", unsealed);
            report.put("head", previous);
            return report;
        });
    }
}
