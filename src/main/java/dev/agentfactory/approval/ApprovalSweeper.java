package dev.agentfactory.approval;

import dev.agentfactory.Periodic;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every second, expires or escalates the requests past their deadline: time is enforced even if nobody looks. */
public final class ApprovalSweeper {
    private static final Logger log = LoggerFactory.getLogger(ApprovalSweeper.class);

    private ApprovalSweeper() {
    }

    public static Periodic start(ApprovalService approvals) {
        return Periodic.every("approval-sweeper", Duration.ofSeconds(1), () -> {
            int handled;
            do {
                handled = approvals.sweep();
                if (handled > 0) {
                    log.info("{} approval requests expired or escalated", handled);
                }
            } while (handled == ApprovalService.SWEEP_BATCH);
        });
    }
}
