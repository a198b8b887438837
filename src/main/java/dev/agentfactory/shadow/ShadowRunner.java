package dev.agentfactory.shadow;

import dev.agentfactory.replay.AgentVersions;
import dev.agentfactory.replay.BundleVersions;
import dev.agentfactory.replay.Replayer;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.rules.BuiltBundle;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.Evaluation;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.RecordedState;
import dev.agentfactory.rules.RuleSet;
import dev.agentfactory.rules.TemplateSet;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.runtime.DecisionTap;
import dev.agentfactory.runtime.DecisionView;
import dev.agentfactory.web.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow evaluations, off the request path: a committed live decision of an organization with a
 * running shadow is offered to a bounded queue (never waited on); one worker re-decides it against
 * the candidate, as replay would (state at the time as recorded), and stores the outcome beside the
 * live decision. A full queue skips the evaluation and counts it, per shadow, in the database.
 * Running shadows are read from the database at start, on each change here and every few seconds
 * (changes made on another instance).
 */
public final class ShadowRunner implements DecisionTap, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShadowRunner.class);

    /** A running shadow as this instance evaluates it; {@code built} null: the serving bundle. */
    record Active(ShadowDao.Row row, BuiltBundle built, AtomicLong skipped) {
    }

    private record Item(Active shadow, UUID organizationId, CompiledAgent agent, boolean paused, ProposedAction action,
                        RecordedState state, DecisionView live) {
    }

    private final Jdbi jdbi;
    private final PolicyEngine policy;
    private final BundleVersions bundles;
    private final ActionPipeline pipeline;
    private final BlockingQueue<Item> queue;
    private final AgentVersions agents;
    private final Thread worker;
    private volatile Map<UUID, List<Active>> running = Map.of();
    private volatile boolean closed;

    public ShadowRunner(Jdbi jdbi, PolicyEngine policy, BundleVersions bundles, ActionPipeline pipeline, int capacity) {
        this.jdbi = jdbi;
        this.policy = policy;
        this.bundles = bundles;
        this.pipeline = pipeline;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.agents = new AgentVersions(jdbi);
        this.worker = new Thread(this::work, "shadow-evaluations");
        this.worker.setDaemon(true);
    }

    public ShadowRunner start() {
        refresh();
        worker.start();
        return this;
    }

    /** On the request thread: nothing happens unless the organization has a running shadow; never blocks. */
    @Override
    public void decided(UUID organizationId, CompiledAgent agent, boolean paused, ProposedAction action,
                        Evaluation decided, DecisionView stored) {
        List<Active> shadows = running.get(organizationId);
        if (shadows == null) {
            return;
        }
        try {
            RecordedState state = RecordedState.of(paused, decided, stored.decision(), stored.reasons());
            for (Active shadow : shadows) {
                if (shadow.row().agentId() != null && !shadow.row().agentId().equals(agent.agentId())) {
                    continue;
                }
                if (!queue.offer(new Item(shadow, organizationId, agent, paused, action, state, stored))) {
                    shadow.skipped().incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            log.error("a live decision could not be offered to its shadows", e);
        }
    }

    /** Reads the running shadows again (after a start, promote or drop, and periodically). */
    public synchronized void refresh() {
        Map<UUID, Active> known = new HashMap<>();
        running.values().forEach(list -> list.forEach(a -> known.put(a.row().id(), a)));
        Map<UUID, List<Active>> next = new HashMap<>();
        for (ShadowDao.Row row : jdbi.withExtension(ShadowDao.class, ShadowDao::running)) {
            Active active = known.get(row.id());
            if (active == null) {
                try {
                    BuiltBundle built = row.bundleVersion() == null ? null
                            : bundles.built(row.bundleVersion(), "shadow " + row.id());
                    active = new Active(row, built, new AtomicLong());
                } catch (RuntimeException e) {
                    log.error("shadow {} cannot run on this instance: {}", row.id(), e.getMessage());
                    continue;
                }
            }
            next.computeIfAbsent(row.organizationId(), k -> new ArrayList<>()).add(active);
        }
        known.values().forEach(this::flush);
        running = Map.copyOf(next);
    }

    /** Skipped evaluations not yet written (the report adds them to the stored count). */
    long unflushedSkips(UUID shadowId) {
        return running.values().stream().flatMap(List::stream).filter(a -> a.row().id().equals(shadowId))
                .mapToLong(a -> a.skipped().get()).sum();
    }

    private void work() {
        while (!closed) {
            try {
                Item item = queue.poll(1, TimeUnit.SECONDS);
                if (item != null) {
                    evaluate(item);
                }
                running.values().forEach(list -> list.forEach(this::flush));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("a shadow evaluation failed", e);
            }
        }
    }

    private void evaluate(Item item) {
        ShadowDao.Row row = item.shadow().row();
        BuiltBundle built = item.shadow().built();
        RuleSet rules = built == null ? policy.current() : built.rules();
        TemplateSet templates = built == null ? policy.templates() : built.templates();
        CompiledAgent live = item.agent();
        CompiledAgent agent = row.agentVersion() != null
                ? agents.get(templates, item.organizationId(), live.agentId(), row.agentVersion())
                : templates.version().equals(live.templateVersion()) ? live
                : agents.get(templates, item.organizationId(), live.agentId(), live.blueprintVersion());
        RecordedState state = item.state();
        Evaluation shadow = state.claimed(pipeline.evaluate(rules, agent, state.paused(), item.action(),
                state.llm() != null ? state.llm() : Replayer.NOT_RECORDED));
        DecisionView decided = item.live();
        jdbi.useExtension(ShadowDao.class, dao -> dao.store(new ShadowDao.Outcome(row.id(), decided.decisionId(),
                item.organizationId(), live.agentId(), decided.actionType(), decided.decision().name(),
                shadow.decision().name(), Json.write(decided.rulesFired()), Json.write(shadow.rulesFired()),
                Json.write(shadow.reasons()))));
    }

    private void flush(Active shadow) {
        long count = shadow.skipped().getAndSet(0);
        if (count > 0) {
            try {
                jdbi.useExtension(ShadowDao.class, dao -> dao.skipped(shadow.row().id(), count));
            } catch (RuntimeException e) {
                shadow.skipped().addAndGet(count);
                throw e;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.values().forEach(list -> list.forEach(a -> {
            try {
                flush(a);
            } catch (RuntimeException e) {
                log.warn("skipped shadow evaluations of {} not written at shutdown: {}", a.row().id(), a.skipped());
            }
        }));
    }
}
