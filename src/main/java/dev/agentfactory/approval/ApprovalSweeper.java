package dev.agentfactory.approval;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every second, expires or escalates the requests past their deadline: time is enforced even if nobody looks. */
public final class ApprovalSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApprovalSweeper.class);

    private final ApprovalService approvals;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "approval-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    public ApprovalSweeper(ApprovalService approvals) {
        this.approvals = approvals;
    }

    public ApprovalSweeper start() {
        scheduler.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private void sweep() {
        try {
            int handled;
            do {
                handled = approvals.sweep();
                if (handled > 0) {
                    log.info("{} approval requests expired or escalated", handled);
                }
            } while (handled == 100);
        } catch (RuntimeException e) {
            log.warn("approval sweep failed; it runs again in a second", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            // let a round in progress finish before the pool it uses closes
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
