package dev.agentfactory.rules;

import dev.agentfactory.rules.model.AgentPolicy;
import dev.agentfactory.rules.model.PermittedAction;
import dev.agentfactory.rules.model.PermittedContext;
import dev.agentfactory.rules.model.ProposedAction;
import dev.agentfactory.rules.model.RequestedContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kie.api.runtime.KieSessionsPool;

/**
 * What an agent's own compiled rules say about a kind of action: its policy, whether the action type
 * is permitted (and high-risk), which of the requested context types are permitted. The agent's rules
 * see only the action's type and the context types it asks for, so their answer depends on nothing
 * else and is remembered per agent: a decision then runs one rules session (the shared rules), not two,
 * and a freshly deployed agent's rules are out of the hot path after their first answer.
 */
public final class AgentFacts {
    /** Enough for every action type and context combination an agent really proposes; more are not kept. */
    static final int MAX_REMEMBERED = 1_024;

    /** @param facts input facts for the shared rules; @param fired ids of the agent's rules that fired */
    public record Derived(List<Object> facts, List<String> fired) {
        public Derived {
            facts = List.copyOf(facts);
            fired = List.copyOf(fired);
        }
    }

    private record Key(String actionType, List<String> contextTypes) {
    }

    private final KieSessionsPool sessions;
    private final Map<Key, Derived> remembered = new ConcurrentHashMap<>();

    AgentFacts(KieSessionsPool sessions) {
        this.sessions = sessions;
    }

    /** The agent's answer for an action of this type reading these context types. */
    public Derived of(String actionType, List<String> contextTypes) {
        Key key = new Key(actionType, contextTypes.stream().distinct().sorted().toList());
        Derived known = remembered.get(key);
        if (known != null) {
            return known;
        }
        Derived derived = derive(key);
        if (remembered.size() < MAX_REMEMBERED) {
            remembered.putIfAbsent(key, derived);
        }
        return derived;
    }

    private Derived derive(Key key) {
        List<Object> input = new ArrayList<>();
        // only what the agent's rules may depend on: the answer must not vary with anything else
        input.add(new ProposedAction(key.actionType(), 0, null, key.contextTypes(), null, null, null, null));
        key.contextTypes().forEach(type -> input.add(new RequestedContext(type)));
        RuleRun run = RuleRun.execute(sessions, input);
        List<Object> facts = new ArrayList<>();
        facts.addAll(run.results(AgentPolicy.class));
        facts.addAll(run.results(PermittedAction.class));
        facts.addAll(run.results(PermittedContext.class));
        return new Derived(facts, run.fired());
    }
}
