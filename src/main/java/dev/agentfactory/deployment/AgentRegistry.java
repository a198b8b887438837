package dev.agentfactory.deployment;

import dev.agentfactory.rules.CompiledAgent;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live agents of this server. Each entry is replaced in one step (a hot reload, a pause);
 * a request that already holds an entry finishes on it.
 */
public final class AgentRegistry {
    /** A deployed agent as it serves now: its compiled form, and whether it is paused. */
    public record LiveAgent(CompiledAgent compiled, boolean paused) {
        public LiveAgent withPaused(boolean value) {
            return new LiveAgent(compiled, value);
        }
    }

    private final ConcurrentHashMap<UUID, LiveAgent> agents = new ConcurrentHashMap<>();

    public Optional<LiveAgent> find(UUID agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    public void put(LiveAgent agent) {
        agents.put(agent.compiled().agentId(), agent);
    }

    /** Sets the paused flag of the entry, whichever compiled form it holds now. */
    public void setPaused(UUID agentId, boolean paused) {
        agents.computeIfPresent(agentId, (id, live) -> live.paused() == paused ? live : live.withPaused(paused));
    }

    /** Replaces the entry only if it is still {@code expected}: a background recompile never undoes a newer deploy. */
    public boolean replace(LiveAgent expected, LiveAgent replacement) {
        return agents.replace(expected.compiled().agentId(), expected, replacement);
    }

    public void remove(UUID agentId) {
        agents.remove(agentId);
    }

    public List<LiveAgent> inOrganization(UUID organizationId) {
        return agents.values().stream().filter(a -> a.compiled().organizationId().equals(organizationId)).toList();
    }

    public List<LiveAgent> all() {
        return List.copyOf(agents.values());
    }

    public int size() {
        return agents.size();
    }
}
