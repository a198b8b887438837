package dev.agentfactory.rules;

import dev.agentfactory.rules.model.RuleMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;

/**
 * One evaluation: a fresh session on an immutable KieBase, the facts inserted, the rules fired,
 * everything in working memory and the ids of the rules that fired collected, the session disposed.
 */
public final class RuleRun {
    /** A rule that keeps re-triggering itself is stopped here instead of looping forever. */
    public static final int MAX_FIRINGS = 10_000;

    private final List<Object> objects;
    private final List<String> fired;
    private final boolean exhausted;

    private RuleRun(List<Object> objects, List<String> fired, boolean exhausted) {
        this.objects = objects;
        this.fired = fired;
        this.exhausted = exhausted;
    }

    /**
     * Runs the facts in a session from the pool (disposing it returns it, reset, to the pool:
     * creating sessions is a large part of the cost of a decision).
     */
    public static RuleRun execute(KieSessionsPool sessions, Collection<?> facts) {
        KieSession session = sessions.newKieSession();
        List<String> fired = new ArrayList<>();
        AgendaEventListener listener = new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                fired.add(RuleMetadata.id(event.getMatch().getRule().getName()));
            }
        };
        try {
            session.addEventListener(listener);
            facts.forEach(session::insert);
            int count = session.fireAllRules(MAX_FIRINGS);
            return new RuleRun(new ArrayList<>(session.getObjects()), fired, count >= MAX_FIRINGS);
        } finally {
            // a pooled session keeps its listeners: this run's must not outlive it
            session.removeEventListener(listener);
            session.dispose();
        }
    }

    /** A pool for a freshly built knowledge base; it lives and dies with the knowledge base's owner. */
    public static KieSessionsPool pool(KieBase kieBase) {
        return kieBase.newKieSessionsPool(2);
    }

    public <T> List<T> results(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Ids of the rules that fired, in firing order, each once. */
    public List<String> fired() {
        return fired.stream().distinct().toList();
    }

    /** True when the run was cut off at {@link #MAX_FIRINGS}: some rule loops. */
    public boolean exhausted() {
        return exhausted;
    }
}
