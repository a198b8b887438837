package dev.agentfactory.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * Re-walks a hash chain from its first entry and reports the first broken link: an entry whose
 * content no longer matches its hash, or whose prev_hash is not its predecessor's hash (an entry
 * was changed, removed or inserted behind the server's back). Streams the chain, whatever its length.
 */
public final class AuditVerifier {
    private final Jdbi jdbi;

    public AuditVerifier(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Map<String, Object> verify(UUID organizationId) {
        return jdbi.inTransaction(handle -> {
            String chain = AuditChain.chain(organizationId);
            long unsealed = handle.createQuery("select count(*) from audit_log where " + chain + " and hash is null")
                    .bind("organizationId", organizationId).mapTo(Long.class).one();
            Map<String, Object> report = new LinkedHashMap<>();
            long verified = 0;
            String previous = "";
            long expectedSeq = 1;
            try (Stream<AuditChain.Entry> entries = handle.createQuery(AuditChain.CONTENT + " from audit_log where "
                            + chain + " and hash is not null order by seal_seq")
                    .bind("organizationId", organizationId).setFetchSize(1_000)
                    .map(AuditChain.ENTRY).stream()) {
                for (AuditChain.Entry entry : (Iterable<AuditChain.Entry>) entries::iterator) {
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
            report.put("valid", true);
            report.put("verified", verified);
            report.put("unsealed", unsealed);
            report.put("head", previous);
            return report;
        });
    }
}
