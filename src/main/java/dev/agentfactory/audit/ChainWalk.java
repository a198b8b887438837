package dev.agentfactory.audit;

import java.util.Objects;
import java.util.UUID;

/**
 * One chain re-walked from its first seal: keeps the previous hash and the counts, and names what
 * is wrong with the next entry, if anything. Legacy seals may only come first, key epochs only go
 * up, and every seal of the current epoch must be an HMAC with the current key.
 */
final class ChainWalk {
    /** A seal with its entry, as the verifier reads it; {@code legacyContent} only for legacy seals. */
    record Sealed(long sealSeq, String prevHash, String hash, Integer sealKeyEpoch, String entryCheck,
                  String legacyContent, EntryContent.Stored entry) {
    }

    private final AuditKey key;
    private final UUID chain;
    /** The id of the entry that began the current key epoch: every later entry is the current key's. */
    private final long epochStart;
    private String previous = "";
    private long expectedSeq = 1;
    private int lastSealEpoch;
    private long verified;
    private long legacy;
    private long earlierKey;

    ChainWalk(AuditKey key, UUID chain, long epochStart) {
        this.key = key;
        this.chain = chain;
        this.epochStart = epochStart;
    }

    /** The problem with the next sealed entry, or null when it holds (and the walk moves past it). */
    String next(Sealed sealed) {
        String problem;
        if (sealed.sealSeq() != expectedSeq) {
            problem = "entry " + expectedSeq + " of the chain is missing";
        } else if (!previous.equals(sealed.prevHash())) {
            problem = "its prev_hash does not match the hash of the entry before it";
        } else if (!Objects.equals(sealed.entry().content().organizationId(), chain)) {
            problem = "it belongs to another organization than the chain it is sealed in";
        } else {
            problem = sealed.sealKeyEpoch() == null ? legacy(sealed) : keyed(sealed);
        }
        if (problem == null) {
            previous = sealed.hash();
            expectedSeq++;
        }
        return problem;
    }

    /** The problem with an entry still waiting for its seal, or null. */
    String pending(EntryContent.Stored entry) {
        if (!AuditChain.check(key, entry, false).equals(AuditChain.TAMPERED)) {
            return null;
        }
        return Objects.equals(entry.keyEpoch(), key.epoch())
                ? "it waits for its seal, and its content does not match the MAC written with it: it was changed after "
                        + "it was written"
                : "it waits for its seal without a MAC made with the audit key: it was written behind the server's back";
    }

    private String legacy(Sealed sealed) {
        // The owner can recompute a legacy seal; the server has made none since entries carry MACs.
        if (sealed.entry().entryMac() != null || sealed.entry().keyEpoch() != null || sealed.entry().id() > epochStart) {
            return "it has a legacy (unkeyed) seal but was written with the audit key: it was sealed behind the "
                    + "server's back";
        }
        if (lastSealEpoch > 0) {
            return "it has a legacy (unkeyed) seal after keyed ones: it was sealed behind the server's back";
        }
        if (!AuditChain.legacyHash(previous, sealed.legacyContent()).equals(sealed.hash())) {
            return "its content does not match its hash: it was changed after it was written";
        }
        legacy++;
        return null;
    }

    private String keyed(Sealed sealed) {
        int epoch = sealed.sealKeyEpoch();
        // Seals of an earlier epoch are counted, not checked: only the entries before the current
        // epoch began may claim one, or the owner could pass any seal off as unverifiable.
        if (epoch < 1) {
            return "its seal claims key epoch " + epoch + ", which never existed: it was sealed behind the server's back";
        }
        if (sealed.entry().id() > epochStart && epoch != key.epoch()) {
            return "it was written after key epoch " + key.epoch() + " began (entry " + epochStart + ") but its seal "
                    + "claims the key of epoch " + epoch + ": it was sealed behind the server's back";
        }
        if (epoch < lastSealEpoch) {
            return "its seal's key epoch " + epoch + " comes after epoch " + lastSealEpoch
                    + ": it was sealed behind the server's back";
        }
        lastSealEpoch = epoch;
        if (epoch > key.epoch()) {
            return "it was sealed with the key of epoch " + epoch + ", newer than this server's (epoch " + key.epoch()
                    + "): restart the server with the current key";
        }
        if (epoch < key.epoch()) {
            earlierKey++;
            return null;
        }
        EntryContent.Stored entry = sealed.entry();
        String expected = AuditChain.seal(key, previous, entry.id(), sealed.sealSeq(), entry.keyEpoch(),
                entry.entryMac(), sealed.entryCheck());
        if (!AuditKey.same(expected, sealed.hash())) {
            return "its seal was not made with the audit key: the seal, or the MAC it covers, was changed";
        }
        switch (Objects.requireNonNullElse(sealed.entryCheck(), "")) {
            case AuditChain.TAMPERED:
                return "when it was sealed, its content did not match the MAC written with it: it was changed (or "
                        + "written) behind the server's back";
            case AuditChain.EARLIER_KEY:
                earlierKey++;
                return null;
            case AuditChain.VERIFIED:
                if (!AuditKey.same(key.entryMac(entry.content()), entry.entryMac())) {
                    return "its content does not match the MAC written with it: it was changed after it was written";
                }
                verified++;
                return null;
            default:
                return "its seal records an unknown check '" + sealed.entryCheck() + "'";
        }
    }

    String head() {
        return previous;
    }

    long verified() {
        return verified;
    }

    long legacy() {
        return legacy;
    }

    long earlierKey() {
        return earlierKey;
    }
}
