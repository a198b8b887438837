package dev.agentfactory.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What verify found in one chain. Valid: {@code verified} entries checked against the current key
 * (their content against the MAC written with them, their seal against the chain), {@code legacy}
 * ones sealed before the key existed (plain SHA-256: they show changes, but not a rewrite by someone
 * who recomputed the hashes), {@code earlierKey} ones under a key epoch this server no longer holds
 * (counted, not checked), {@code unsealed} ones still waiting for their seal, and the chain's
 * {@code head}. Broken: the {@code firstBrokenEntry} and how many were verified before it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainReport(boolean valid, Long verified, Long legacy, Long earlierKey, long unsealed, String head,
                          BrokenEntry firstBrokenEntry, Long verifiedBeforeIt) {

    /** {@code sealSeq} is null for an entry that is not in the chain (yet). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BrokenEntry(long id, Long sealSeq, String problem) {
    }

    static ChainReport valid(long verified, long legacy, long earlierKey, long unsealed, String head) {
        return new ChainReport(true, verified, legacy, earlierKey, unsealed, head, null, null);
    }

    static ChainReport broken(BrokenEntry entry, long verifiedBeforeIt, long unsealed) {
        return new ChainReport(false, null, null, null, unsealed, null, entry, verifiedBeforeIt);
    }
}
