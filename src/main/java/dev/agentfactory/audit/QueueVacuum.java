package dev.agentfactory.audit;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the sealer's queue (audit_unsealed) small. Every entry sealed leaves a dead row there, ~2,000 a
 * second at full load, which PostgreSQL reclaims only by VACUUM. With autovacuum off (as on the project's
 * machine) the queue had 330,000 dead rows after 4 minutes and decisions ran a quarter slower; with
 * autovacuum on it would visit the table at most once a minute. So the queue is vacuumed every
 * {@value #ROWS} rows sealed, or {@link #AFTER} after the first row since the last time.
 *
 * <p>A vacuum that fails is logged, once until one succeeds again; sealing goes on regardless.
 */
final class QueueVacuum {
    private static final Logger log = LoggerFactory.getLogger(QueueVacuum.class);
    static final int ROWS = 20_000;
    static final Duration AFTER = Duration.ofSeconds(10);

    private final Runnable vacuum;
    private int sealedSince;
    private long firstSealedAt;
    private boolean failing;

    QueueVacuum(Runnable vacuum) {
        this.vacuum = vacuum;
    }

    /** Called by the sealer's one thread after each round with how many entries it sealed. */
    void sealed(int entries) {
        if (entries > 0 && sealedSince == 0) {
            firstSealedAt = System.nanoTime();
        }
        sealedSince += entries;
        if (sealedSince >= ROWS || sealedSince > 0 && System.nanoTime() - firstSealedAt >= AFTER.toNanos()) {
            sealedSince = 0;
            try {
                vacuum.run();
                if (failing) {
                    log.info("the audit queue audit_unsealed is vacuumed again");
                    failing = false;
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    log.warn("the audit queue audit_unsealed could not be vacuumed ({}); sealing goes on, but its dead "
                            + "rows slow decisions down until it is: let AF_DB_USER own the table, or turn autovacuum on",
                            e.getMessage());
                }
            }
        }
    }
}
