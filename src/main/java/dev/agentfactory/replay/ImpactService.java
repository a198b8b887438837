package dev.agentfactory.replay;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.rules.BuiltBundle;
import dev.agentfactory.web.BadRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** {@code POST /api/impact}: what a candidate bundle or agent version would have decided on the caller's organization's past decisions. */
public final class ImpactService {
    static final int DEFAULT_LIMIT = 10_000;
    static final int DEFAULT_SAMPLES = 20;

    private final BundleVersions bundles;
    private final BlueprintService blueprints;
    private final AgentVersions agentVersionsCheck;
    private final Replayer replayer;

    ImpactService(BundleVersions bundles, BlueprintService blueprints, AgentVersions agentVersionsCheck,
                  Replayer replayer) {
        this.bundles = bundles;
        this.blueprints = blueprints;
        this.agentVersionsCheck = agentVersionsCheck;
        this.replayer = replayer;
    }

    /**
     * The body of {@code POST /api/impact}. Every field is optional: by default the serving bundle
     * against the last 7 days of every agent of the organization, at most 10,000 decisions.
     *
     * @param bundleVersion a stored bundle (e.g. the one a rollback would bring back)
     * @param agentId one agent only; with {@code agentVersion}, that version is the candidate for it
     */
    public record ImpactRequest(String bundleVersion, UUID agentId, Integer agentVersion, Instant from, Instant to,
                                Integer limit, Integer samples) {
    }

    public ImpactReport.Result impact(Caller caller, ImpactRequest request) {
        ImpactRequest r = request == null ? new ImpactRequest(null, null, null, null, null, null, null) : request;
        Window window = window(caller.organizationId(), r.agentId(), r.from(), r.to(), r.limit(), r.samples());
        if (r.agentVersion() != null && r.agentId() == null) {
            throw new BadRequestException("agentId", "is required with agentVersion");
        }
        if (r.agentId() != null) {
            blueprints.get(caller.organizationId(), r.agentId());
        }
        if (r.agentVersion() != null) {
            if (r.agentVersion() < 1) {
                throw new BadRequestException("agentVersion", "must be 1 or more");
            }
            agentVersionsCheck.spec(caller.organizationId(), r.agentId(), r.agentVersion());
        }
        BuiltBundle built = bundles.built(r.bundleVersion(), "impact replay by " + caller.principal());
        return replayer.run(new Candidate(built.version(), built.rules(), built.templates(), r.agentId(),
                r.agentVersion()), window).result();
    }

    /** The window, each bound checked and named when wrong. */
    public static Window window(UUID organizationId, UUID agentId, Instant from, Instant to, Integer limit,
                                Integer samples) {
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(7)) : from;
        if (!start.isBefore(end)) {
            throw new BadRequestException("from", "must be before to");
        }
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > Window.MAX_LIMIT) {
            throw new BadRequestException("limit", "must be 1-" + Window.MAX_LIMIT);
        }
        int sampled = samples == null ? DEFAULT_SAMPLES : samples;
        if (sampled < 0 || sampled > Window.MAX_SAMPLES) {
            throw new BadRequestException("samples", "must be 0-" + Window.MAX_SAMPLES);
        }
        return new Window(organizationId, agentId, start, end, max, sampled);
    }
}
