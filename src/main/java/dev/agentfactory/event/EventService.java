package dev.agentfactory.event;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.deployment.AgentRegistry;
import dev.agentfactory.rules.CompiledAgent;
import dev.agentfactory.rules.RuleRun;
import dev.agentfactory.rules.model.Activation;
import dev.agentfactory.rules.model.EventFact;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Fans an event out to the organization's live agents: those whose event triggers or intents
 * match are asked (their compiled rules evaluate the trigger conditions), and the activations
 * are recorded.
 */
public final class EventService {
    private static final int MAX_TEXT = 200;

    private final Jdbi jdbi;
    private final AgentRegistry registry;

    public EventService(Jdbi jdbi, AgentRegistry registry) {
        this.jdbi = jdbi;
        this.registry = registry;
    }

    public ActivationResult publish(Caller caller, Event event) {
        check(event);
        EventFact fact = new EventFact(event.type(), event.contactId(), event.intent(), event.data());
        List<ActivationResult.Activated> activated = new ArrayList<>();
        for (AgentRegistry.LiveAgent live : registry.inOrganization(caller.organizationId())) {
            CompiledAgent agent = live.compiled();
            boolean candidate = agent.eventTriggers().contains(fact.type())
                    || (!fact.intent().isEmpty() && agent.supportedIntents().contains(fact.intent()));
            if (live.paused() || !candidate) {
                continue;
            }
            List<Activation> activations = RuleRun.execute(agent.sessions(), List.of(fact)).results(Activation.class);
            if (!activations.isEmpty()) {
                activated.add(new ActivationResult.Activated(agent.deploymentId(), agent.agentId(), agent.spec().name(),
                        agent.blueprintVersion(), activations.stream().map(Activation::reason).sorted()
                        .collect(Collectors.joining("; "))));
            }
        }
        UUID eventId = UUID.randomUUID();
        if (!activated.isEmpty()) {
            jdbi.useExtension(ActivationDao.class, dao -> dao.insert(caller.organizationId(), eventId,
                    activated.stream().map(ActivationResult.Activated::agentId).toList(),
                    activated.stream().map(ActivationResult.Activated::deploymentId).toList(),
                    event.type(), event.contactId(), event.intent(),
                    activated.stream().map(ActivationResult.Activated::reason).toList(), caller.requestId()));
        }
        return new ActivationResult(eventId, activated);
    }

    private static void check(Event event) {
        List<FieldProblem> problems = new ArrayList<>();
        if (event.type() == null || event.type().isBlank()) {
            problems.add(new FieldProblem("type", "is required, e.g. interaction.completed"));
        }
        text("type", event.type(), problems);
        text("contactId", event.contactId(), problems);
        text("intent", event.intent(), problems);
        if (!problems.isEmpty()) {
            throw new BadRequestException("invalid event: " + problems.get(0).field() + " " + problems.get(0).problem(),
                    problems);
        }
    }

    private static void text(String field, String value, List<FieldProblem> problems) {
        if (value != null && value.length() > MAX_TEXT) {
            problems.add(new FieldProblem(field, "must be at most " + MAX_TEXT + " characters"));
        }
    }
}
