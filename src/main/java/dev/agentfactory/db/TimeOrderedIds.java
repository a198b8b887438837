package dev.agentfactory.db;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUIDs of version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids of the
 * hottest tables take them so that new rows land at the right edge of their indexes: with random ids
 * every insert touches a random index page, and once an index outgrows memory that is a read per row.
 */
public final class TimeOrderedIds {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private TimeOrderedIds() {
    }

    public static UUID next() {
        long millis = System.currentTimeMillis();
        SecureRandom random = RANDOM.get();
        long most = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(most, least);
    }
}
