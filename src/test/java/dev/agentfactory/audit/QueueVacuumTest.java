package dev.agentfactory.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When the sealer has its queue vacuumed, and that a vacuum that fails never stops the sealing. */
class QueueVacuumTest {
    @Test
    void vacuums_once_enough_rows_were_sealed_and_not_while_nothing_is() {
        AtomicInteger vacuums = new AtomicInteger();
        QueueVacuum vacuum = new QueueVacuum(vacuums::incrementAndGet);
        vacuum.sealed(0);
        vacuum.sealed(QueueVacuum.ROWS - 1);
        assertEquals(0, vacuums.get(), "fewer rows than the threshold, and not 10 s yet");
        vacuum.sealed(1);
        assertEquals(1, vacuums.get());
        vacuum.sealed(0);
        assertEquals(1, vacuums.get(), "nothing sealed since: nothing to vacuum");
    }

    @Test
    void a_vacuum_that_fails_is_not_the_sealers_failure_and_is_tried_again() {
        AtomicInteger tries = new AtomicInteger();
        QueueVacuum vacuum = new QueueVacuum(() -> {
            tries.incrementAndGet();
            throw new IllegalStateException("skipping \"audit_unsealed\" --- only table or database owner can vacuum it");
        });
        vacuum.sealed(QueueVacuum.ROWS);
        vacuum.sealed(QueueVacuum.ROWS);
        assertEquals(2, tries.get());
    }
}
