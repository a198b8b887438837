package dev.agentfactory.replay;

import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.AgentCompileException;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.RecordedState;
import dev.agentfactory.rules.model.LlmVerdict;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.NotFoundException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;

/**
 * Re-decides stored decisions against a candidate: each decision's stored input, its agent's
 * version (or the candidate version), and the state it depended on as recorded (paused, the LLM's
 * answer, a constraint the database refused). Pages through the window by id, so a run holds one
 * page and the report's counters, whatever the window's size. Nothing is stored, no LLM is asked.
 */
public final class Replayer {
    static final int PAGE = 500;
    /** Used when the candidate consults the LLM where the live decision did not: nothing was recorded to replay. */
    public static final LlmVerdict NOT_RECORDED = new LlmVerdict(false, false,
            "replay: the live decision did not consult the LLM, so there is no recorded answer");

    private final Jdbi jdbi;
    private final ActionPipeline pipeline;

    public Replayer(Jdbi jdbi, ActionPipeline pipeline) {
        this.jdbi = jdbi;
        this.pipeline = pipeline;
    }

    /**
     * Pages through the window; the next page is read while this one is re-decided (two pages at most
     * in memory: the database and the rules work side by side).
     */
    public ImpactReport run(Candidate candidate, Window window) {
        AgentVersions agents = new AgentVersions(jdbi);
        ImpactReport report = new ImpactReport(candidate, window);
        long started = System.nanoTime();
        int left = window.limit();
        List<StoredDecisionDao.Stored> page = page(window, new UUID(0, 0), Math.min(PAGE, left));
        while (!page.isEmpty()) {
            left -= page.size();
            CompletableFuture<List<StoredDecisionDao.Stored>> next = page.size() < PAGE || left <= 0
                    ? CompletableFuture.completedFuture(List.of())
                    : CompletableFuture.supplyAsync(nextPage(window, page.get(page.size() - 1).id(),
                    Math.min(PAGE, left)));
            for (StoredDecisionDao.Stored stored : page) {
                replay(candidate, agents, stored, report);
            }
            page = joined(next);
        }
        report.finish((System.nanoTime() - started) / 1_000_000);
        return report;
    }

    private static List<StoredDecisionDao.Stored> joined(CompletableFuture<List<StoredDecisionDao.Stored>> next) {
        try {
            return next.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private java.util.function.Supplier<List<StoredDecisionDao.Stored>> nextPage(Window window, UUID after, int size) {
        return () -> page(window, after, size);
    }

    private List<StoredDecisionDao.Stored> page(Window window, UUID after, int size) {
        return jdbi.withExtension(StoredDecisionDao.class, dao -> dao.page(window.organizationId(), window.agentId(),
                window.from(), window.to(), after, size));
    }

    private void replay(Candidate candidate, AgentVersions agents, StoredDecisionDao.Stored stored,
                        ImpactReport report) {
        CompiledAgent agent;
        try {
            agent = agents.get(candidate.templates(), stored.organizationId(), stored.agentId(),
                    candidate.versionFor(stored.agentId(), stored.blueprintVersion()));
        } catch (NotFoundException | AgentCompileException e) {
            report.notReplayed(stored, e.getMessage());
            return;
        }
        RecordedState state;
        ProposedAction action;
        try {
            state = RecordedState.read(stored.recorded());
            action = Json.read(stored.input(), ProposedAction.class);
        } catch (java.io.UncheckedIOException e) {
            report.notReplayed(stored, "the stored input cannot be read: " + e.getMessage());
            return;
        }
        Evaluation evaluation = state.claimed(pipeline.evaluate(candidate.rules(), agent, state.paused(), action,
                state.llm() != null ? state.llm() : NOT_RECORDED));
        report.add(stored, state, evaluation, evaluation.llmVerdict() == NOT_RECORDED);
    }
}
