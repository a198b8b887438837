package dev.agentfactory.deployment;

import dev.agentfactory.cluster.AgentServing;
import dev.agentfactory.cluster.ChangeFeed;
import dev.agentfactory.rules.CompiledAgent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this instance's live agents match the database: which deployment of an agent serves,
 * whether it is paused, or that it is gone. It reads the current state, never a delta, so applying
 * a change late or twice is harmless. A pause or an undeploy applies at once; a new deployment is
 * compiled on a worker thread (meanwhile the old one, paused or not as the database says, serves)
 * and swaps in only if the database still wants it.
 *
 * <p>One lock puts every read-and-apply in a line: the instance that made a change (right after
 * its commit) and the change feed (when the change reaches it) may both apply the same agent, and
 * the later read always wins.
 */
public final class AgentSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentSync.class);

    private final Jdbi jdbi;
    private final AgentRegistry registry;
    private final Function<DeploymentDao.LiveRow, CompiledAgent> compiler;
    private final Object lock = new Object();
    private final Set<UUID> compiling = ConcurrentHashMap.newKeySet();
    private final ExecutorService compiles = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "agent-sync-compile");
        thread.setDaemon(true);
        return thread;
    });

    /** @param compiler compiles a deployment with this instance's live templates */
    public AgentSync(Jdbi jdbi, AgentRegistry registry, Function<DeploymentDao.LiveRow, CompiledAgent> compiler) {
        this.jdbi = jdbi;
        this.registry = registry;
        this.compiler = compiler;
    }

    /** Applies the changes of {@link AgentStates} that any instance records, and everything after a reconnect. */
    public void listenTo(ChangeFeed changes) {
        changes.on(AgentStates.CHANGED, change -> apply(UUID.fromString(change.subject())))
                .on(AgentStates.ALL_CHANGED, change -> applyAll(change.organizationId()))
                .onReconnect(() -> applyAll(null));
    }

    /** The agent as the database has it now. */
    void apply(UUID agentId) {
        apply(agentId, null);
    }

    /** As {@link #apply(UUID)}, with a deployment this instance compiled already: it serves if it is still wanted. */
    void install(CompiledAgent compiled) {
        apply(compiled.agentId(), compiled);
    }

    private void apply(UUID agentId, CompiledAgent compiled) {
        synchronized (lock) {
            Optional<DeploymentDao.LiveRow> row = jdbi.withExtension(DeploymentDao.class, dao -> dao.live(agentId));
            match(agentId, row.orElse(null), compiled);
        }
    }

    /** Every agent of the organization (null: of every organization) as the database has it now. */
    void applyAll(UUID organizationId) {
        synchronized (lock) {
            List<DeploymentDao.LiveRow> rows = jdbi.withExtension(DeploymentDao.class,
                    dao -> dao.liveIn(organizationId));
            Set<UUID> wanted = rows.stream().map(DeploymentDao.LiveRow::agentId).collect(Collectors.toSet());
            List<AgentRegistry.LiveAgent> serving = organizationId == null ? registry.all()
                    : registry.inOrganization(organizationId);
            for (AgentRegistry.LiveAgent live : serving) {
                if (!wanted.contains(live.compiled().agentId())) {
                    registry.remove(live.compiled().agentId());
                }
            }
            for (DeploymentDao.LiveRow row : rows) {
                match(row.agentId(), row, null);
            }
        }
    }

    private void match(UUID agentId, DeploymentDao.LiveRow row, CompiledAgent compiled) {
        if (row == null) {
            registry.remove(agentId);
            return;
        }
        boolean paused = row.status().equals("Paused");
        Optional<AgentRegistry.LiveAgent> current = registry.find(agentId);
        if (compiled != null && compiled.deploymentId().equals(row.deploymentId())
                && current.map(live -> live.compiled() != compiled).orElse(true)) {
            registry.put(new AgentRegistry.LiveAgent(compiled, paused));
            return;
        }
        // the deployment that serves now (while another one compiles) is told at once whether it may act
        registry.setPaused(agentId, paused);
        if (current.isEmpty() || !current.get().compiled().deploymentId().equals(row.deploymentId())) {
            compileLater(row);
        }
    }

    private void compileLater(DeploymentDao.LiveRow row) {
        if (!compiling.add(row.deploymentId())) {
            return;
        }
        compiles.execute(() -> {
            try {
                // the instance that deployed it usually registered it meanwhile
                boolean served = registry.find(row.agentId())
                        .filter(live -> live.compiled().deploymentId().equals(row.deploymentId())).isPresent();
                if (!served) {
                    apply(row.agentId(), compiler.apply(row));
                }
            } catch (RuntimeException e) {
                log.error("agent {}: deployment {} could not be compiled on this instance; it serves what it served"
                        + " before until the next change of the agent", row.agentId(), row.deploymentId(), e);
            } finally {
                compiling.remove(row.deploymentId());
            }
        });
    }

    /** What this instance serves, for its heartbeat. */
    public Map<UUID, AgentServing> serving() {
        Map<UUID, AgentServing> serving = new HashMap<>();
        for (AgentRegistry.LiveAgent live : registry.all()) {
            CompiledAgent compiled = live.compiled();
            serving.put(compiled.agentId(), new AgentServing(compiled.organizationId(), compiled.deploymentId(),
                    compiled.blueprintVersion(), live.paused()));
        }
        return serving;
    }

    /** What every instance should serve, from the database. */
    public Map<UUID, AgentServing> desired() {
        Map<UUID, AgentServing> desired = new HashMap<>();
        for (DeploymentDao.LiveRow row : jdbi.withExtension(DeploymentDao.class, DeploymentDao::desired)) {
            desired.put(row.agentId(), new AgentServing(row.organizationId(), row.deploymentId(),
                    row.blueprintVersion(), row.status().equals("Paused")));
        }
        return desired;
    }

    @Override
    public void close() {
        compiles.shutdownNow();
        try {
            compiles.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
