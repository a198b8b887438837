package dev.agentfactory.approval;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers each kind of request's outcome goes to. The packages that raise requests (runtime for
 * ACTION, deployment for DEPLOYMENT) register theirs in {@code App.create}, so approval knows
 * neither of them and writes only its own tables.
 */
public final class ApprovalOutcomes {
    private static final Logger log = LoggerFactory.getLogger(ApprovalOutcomes.class);

    private final Map<String, List<ApprovalOutcomeHandler>> handlers = new ConcurrentHashMap<>();
    private final Map<String, ApprovalEditCheck> editChecks = new ConcurrentHashMap<>();

    /** Requests of {@code kind} may be edited before they are approved, re-checked by {@code check}. */
    public ApprovalOutcomes editableWith(String kind, ApprovalEditCheck check) {
        editChecks.put(kind, check);
        return this;
    }

    java.util.Optional<ApprovalEditCheck> editCheck(String kind) {
        return java.util.Optional.ofNullable(editChecks.get(kind));
    }

    /** {@code handler} learns the outcome of every request of {@code kind} (ACTION, DEPLOYMENT). */
    public ApprovalOutcomes on(String kind, ApprovalOutcomeHandler handler) {
        handlers.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>()).add(handler);
        return this;
    }

    void decided(Handle handle, ApprovalOutcome outcome) {
        handlers.getOrDefault(outcome.kind(), List.of()).forEach(h -> h.decided(handle, outcome));
    }

    void committed(ApprovalOutcome outcome) {
        for (ApprovalOutcomeHandler handler : handlers.getOrDefault(outcome.kind(), List.of())) {
            try {
                handler.committed(outcome);
            } catch (RuntimeException e) {
                log.warn("after approval {} was {}: {}", outcome.approvalId(), outcome.status().value(), e.getMessage());
            }
        }
    }
}
