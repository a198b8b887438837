package dev.agentfactory;

import dev.agentfactory.apidocs.ApiDocsController;
import dev.agentfactory.apidocs.OpenApiDocument;
import dev.agentfactory.audit.AuditController;
import dev.agentfactory.catalog.CatalogController;
import dev.agentfactory.template.TemplateController;
import dev.agentfactory.template.TemplateLibrary;
import dev.agentfactory.console.Console;
import dev.agentfactory.cluster.ChangeFeed;
import dev.agentfactory.cluster.ClusterController;
import dev.agentfactory.cluster.ClusterService;
import dev.agentfactory.cluster.Instances;
import dev.agentfactory.cluster.Serving;
import dev.agentfactory.audit.AuditKey;
import dev.agentfactory.audit.AuditLog;
import dev.agentfactory.audit.AuditSealer;
import dev.agentfactory.audit.AuditVerifier;
import dev.agentfactory.auth.AccessControl;
import dev.agentfactory.auth.AuthService;
import dev.agentfactory.auth.Bootstrap;
import dev.agentfactory.auth.ConsoleSessions;
import dev.agentfactory.auth.SessionController;
import dev.agentfactory.auth.OrganizationController;
import dev.agentfactory.auth.OrganizationService;
import dev.agentfactory.auth.TokenController;
import dev.agentfactory.blueprint.BlueprintController;
import dev.agentfactory.blueprint.BlueprintService;
import dev.agentfactory.customrule.CustomRuleController;
import dev.agentfactory.customrule.CustomRuleExamples;
import dev.agentfactory.customrule.CustomRuleLoader;
import dev.agentfactory.customrule.CustomRuleRegistry;
import dev.agentfactory.customrule.CustomRuleService;
import dev.agentfactory.approval.ApprovalController;
import dev.agentfactory.approval.ApprovalEvents;
import dev.agentfactory.approval.ApprovalOutcomes;
import dev.agentfactory.approval.ApprovalService;
import dev.agentfactory.approval.ApprovalSweeper;
import dev.agentfactory.db.Database;
import dev.agentfactory.db.DatabaseErrors;
import dev.agentfactory.monitoring.Metrics;
import dev.agentfactory.monitoring.MetricsController;
import dev.agentfactory.monitoring.MonitoringController;
import dev.agentfactory.monitoring.MonitoringQueries;
import dev.agentfactory.rules.ActiveBundle;
import dev.agentfactory.rules.BundleBuilder;
import dev.agentfactory.rules.BundleController;
import dev.agentfactory.rules.BundlePublisher;
import dev.agentfactory.rules.BundleStore;
import dev.agentfactory.rules.BundleSync;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.rules.Refusal;
import dev.agentfactory.outbox.WebhookDispatcher;
import dev.agentfactory.rules.BlueprintValidator;
import dev.agentfactory.deployment.AgentLifecycle;
import dev.agentfactory.deployment.AgentLoader;
import dev.agentfactory.deployment.AgentRegistry;
import dev.agentfactory.deployment.AgentStates;
import dev.agentfactory.deployment.AgentSync;
import dev.agentfactory.deployment.EmergencyStop;
import dev.agentfactory.deployment.EmergencyStopController;
import dev.agentfactory.deployment.DeploymentController;
import dev.agentfactory.deployment.DeploymentQueries;
import dev.agentfactory.deployment.DeploymentService;
import dev.agentfactory.event.EventController;
import dev.agentfactory.grant.GrantController;
import dev.agentfactory.grant.Grants;
import dev.agentfactory.execution.ExecutionController;
import dev.agentfactory.execution.ExecutionService;
import dev.agentfactory.event.EventService;
import dev.agentfactory.rules.ActionPipeline;
import dev.agentfactory.analytics.AnalyticsController;
import dev.agentfactory.analytics.AnalyticsService;
import dev.agentfactory.replay.BundleVersions;
import dev.agentfactory.replay.ReplayController;
import dev.agentfactory.shadow.ShadowController;
import dev.agentfactory.shadow.ShadowRunner;
import dev.agentfactory.shadow.ShadowService;
import dev.agentfactory.runtime.ActionEditCheck;
import dev.agentfactory.runtime.DecisionController;
import dev.agentfactory.runtime.DecisionOutcomes;
import dev.agentfactory.runtime.DecisionWaits;
import dev.agentfactory.runtime.DecisionQueries;
import dev.agentfactory.runtime.DecisionService;
import dev.agentfactory.llm.LlmAdvisor;
import dev.agentfactory.llm.OpenAiCompatibleAdvisor;
import dev.agentfactory.rules.DefaultRules;
import dev.agentfactory.rules.RuleAuditListener;
import dev.agentfactory.rules.RulesController;
import dev.agentfactory.rules.RulesWatcher;
import dev.agentfactory.validation.ValidationController;
import dev.agentfactory.validation.ValidationService;
import dev.agentfactory.health.HealthController;
import dev.agentfactory.warmup.Rehearsal;
import dev.agentfactory.web.ErrorMapping;
import dev.agentfactory.web.HttpLimits;
import dev.agentfactory.web.Json;
import dev.agentfactory.web.PortClaim;
import dev.agentfactory.web.RequestIds;
import io.javalin.Javalin;
import org.eclipse.jetty.server.handler.GracefulHandler;
import io.javalin.json.JavalinJackson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import io.javalin.security.RouteRole;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import io.javalin.config.JavalinConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole server, wired by hand in one place. {@code main} and the tests both build it here. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private final Database database;
    private final Javalin javalin;
    private final List<Endpoint> endpoints;
    private final List<AutoCloseable> background;
    private final ChangeFeed changes;
    private final Instances instances;
    private final PortClaim portClaim;
    private final Rehearsal rehearsal;

    /** A route as registered: method, path and the roles it accepts (none: public). */
    public record Endpoint(String method, String path, Set<RouteRole> roles) {
    }

    private App(Database database, Javalin javalin, List<Endpoint> endpoints, List<AutoCloseable> background,
                ChangeFeed changes, Instances instances, PortClaim portClaim, Rehearsal rehearsal) {
        this.portClaim = portClaim;
        this.rehearsal = rehearsal;
        this.database = database;
        this.javalin = javalin;
        this.endpoints = endpoints;
        this.background = background;
        this.changes = changes;
        this.instances = instances;
    }

    /**
     * Builds the server. The port is claimed first (and the embedded database's data folder locked
     * next), so a second server on either fails before any database work or admin token.
     */
    public static App create(Config config) {
        log.info("Agent Factory starting: rules folder {}, data folder {}, database {}", rulesFolder(config),
                config.dataDir(), database(config));
        PortClaim port = PortClaim.claim(config.host(), config.port());
        Database database;
        Metrics metrics = new Metrics();
        try {
            database = Database.open(config, metrics.registry());
        } catch (RuntimeException e) {
            port.close();
            throw e;
        }
        try {
            return wire(config, database, metrics, port);
        } catch (RuntimeException e) {
            database.close();
            port.close();
            throw e;
        }
    }

    private static String rulesFolder(Config config) {
        return config.rulesWatch() ? config.rulesDir() + " (watched)"
                : config.rulesDir() + " (not read: AF_RULES_WATCH=false, the database's active bundle serves)";
    }

    /** Where the data lives, without anything secret (no password, no URL parameters). */
    private static String database(Config config) {
        if (config.embeddedDatabase()) {
            return "embedded PostgreSQL in " + config.dataDir().resolve("postgres");
        }
        String url = config.dbUrl().orElseThrow();
        int query = url.indexOf('?');
        return (query < 0 ? url : url.substring(0, query)) + " as user " + config.dbUser();
    }

    private static App wire(Config config, Database database, Metrics metrics, PortClaim port) {
        var jdbi = database.jdbi();
        DatabaseErrors.keepStatementsOutOfMessages(jdbi);
        AuditKey auditKey = AuditKey.open(config.audit(), config.dataDir(), jdbi);
        AuditLog auditLog = new AuditLog(jdbi, auditKey);
        new Bootstrap(jdbi, auditLog).run(config.adminToken(), config.dataDir());
        // Marks where this instance starts: once everything below is loaded it applies what other
        // instances sharing the database changed meanwhile, and from then on (cluster/ChangeLog).
        ChangeFeed changes = new ChangeFeed(jdbi, database::newConnection);

        AuthService authService = new AuthService(jdbi, auditLog);
        ConsoleSessions sessions = new ConsoleSessions(jdbi, authService, auditLog);
        AccessControl accessControl = new AccessControl(authService, sessions);
        BlueprintService blueprints = new BlueprintService(jdbi, auditLog);
        CustomRuleRegistry customRules = new CustomRuleRegistry();
        BlueprintValidator validator = new BlueprintValidator(config.callbackHosts(), customRules);

        // One policy bundle (shared rules and agent templates together), published from the watched folder
        // or by the CLI, stored in the database, served by every instance (rules/PolicyEngine).
        java.nio.file.Path watched = config.rulesWatch() ? config.rulesDir() : null;
        PolicyEngine policy = new PolicyEngine(new BundleBuilder(config.rulesWarmUp()), watched);
        BundleStore bundles = new BundleStore(jdbi, auditLog);
        BundleSync bundleSync = new BundleSync(policy, bundles).follow(changes);
        BundlePublisher publisher = new BundlePublisher(policy, bundles, bundleSync, watched);
        AgentRegistry registry = new AgentRegistry();
        AgentLoader loader = new AgentLoader(jdbi, policy, registry);
        AgentStates agentStates = new AgentStates(jdbi, blueprints, auditLog);
        AgentSync agentSync = new AgentSync(jdbi, registry, loader::compile);
        // approval owns requests and votes; what an outcome means is up to the package that raised it
        ApprovalOutcomes approvalOutcomes = new ApprovalOutcomes();
        ApprovalService approvals = new ApprovalService(jdbi, auditLog, approvalOutcomes);
        DeploymentService deployments = new DeploymentService(jdbi, blueprints, validator, policy, agentStates,
                agentSync, approvals, auditLog, metrics, new ActionPipeline(LlmAdvisor.NONE, customRules));
        approvalOutcomes.on("DEPLOYMENT", deployments.approvalHandler());
        Grants grants = new Grants(jdbi, auditLog);
        approvalOutcomes.on("ACTION", new DecisionOutcomes(grants));
        policy.listen(new RuleAuditListener(auditLog)).listen(new PolicyEngine.Listener() {
            @Override
            public void activated(ActiveBundle bundle, ActiveBundle previous, String trigger) {
                metrics.ruleReload("loaded", bundle.built().millis());
                if (previous != null && !previous.templates().version().equals(bundle.templates().version())) {
                    loader.recompileAll(bundle.templates());
                }
            }

            @Override
            public void refused(Refusal refusal, String trigger, long millis) {
                metrics.ruleReload("refused", millis);
            }
        });
        // Start-up takes the path of a saved file (the folder is published if it is not the active bundle),
        // then serves the database's active bundle: the folder's, or the one before if the folder was refused.
        if (watched != null) {
            DefaultRules.installIfMissing(watched);
            publisher.publishFolder("start-up");
        } else {
            publisher.publishPackedIfNone();
        }
        bundleSync.sync("start-up");
        ValidationService validations = new ValidationService(jdbi, policy, validator, blueprints, auditLog);
        agentStates.recoverInterrupted();
        AgentLoader.LoadReport agents = policy.loaded().isPresent()
                ? loader.loadAll() : new AgentLoader.LoadReport(0, List.of("no policy bundle loaded"), 0);
        ActionPipeline pipeline = new ActionPipeline(config.llm().url()
                .<LlmAdvisor>map(url -> new OpenAiCompatibleAdvisor(url, config.llm().model(),
                        config.llm().apiKey().orElse(null), config.llm().timeout()))
                .orElse(LlmAdvisor.NONE), customRules);
        approvalOutcomes.editableWith("ACTION", new ActionEditCheck(jdbi, policy, registry, pipeline));
        CustomRuleLoader customRuleLoader = new CustomRuleLoader(jdbi, customRules);
        customRuleLoader.refresh();
        // What other instances change reaches this one (and what it changes reaches them).
        agentSync.listenTo(changes);
        customRuleLoader.listenTo(changes);
        authService.listenTo(changes);
        Instances instances = new Instances(jdbi, () -> new Serving(
                policy.loaded().map(ActiveBundle::version).orElse(null), agentSync.serving(), customRules.versions()),
                changes::applied);
        // What every instance should serve: the database's active bundle, agents and custom rules.
        Supplier<Serving> desired = () -> new Serving(bundles.activeVersion().orElse(null), agentSync.desired(),
                customRuleLoader.desiredVersions());
        CustomRuleService customRuleService = new CustomRuleService(jdbi, auditLog, customRules,
                new CustomRuleExamples(policy::current, policy::templates, pipeline, validator));

        List<AutoCloseable> background = new ArrayList<>();
        if (watched != null) {
            background.add(new RulesWatcher(watched, () -> publisher.publishFolder("file change")).start());
        }
        background.add(bundleSync);
        ApprovalEvents approvalEvents = new ApprovalEvents(database::newConnection).start();
        background.add(approvalEvents);
        background.add(ApprovalSweeper.start(approvals));
        WebhookDispatcher webhooks = new WebhookDispatcher(jdbi, config.callbackHosts());
        background.add(webhooks.start());
        metrics.gauge("agentfactory.outbox.backlog", "callbacks not delivered yet", webhooks::backlog);
        metrics.gauge("agentfactory.approvals.pending", "approval requests waiting for a decision",
                () -> jdbi.withHandle(h -> h.createQuery("select count(*) from approvals where status = 'pending'")
                        .mapTo(Long.class).one()));
        metrics.gauge("agentfactory.agents.live", "agents compiled and registered on this server", registry::size);
        background.add(new AuditSealer(jdbi, auditKey).start(() -> database.vacuum("audit_unsealed")));
        background.add(changes.start());
        background.add(agentSync);
        background.add(customRuleLoader);
        background.add(instances.start());
        background.add(Periodic.every("console-sessions", java.time.Duration.ofHours(1), sessions::forgetExpired));

        // Started once the server listens; until it is over the server answers but is not ready (warmup/Rehearsal).
        Rehearsal rehearsal = new Rehearsal(config, database.login());
        List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
        List<Consumer<JavalinConfig>> routes = new ArrayList<>();
        routes.add(new HealthController(database, registry, policy, agents, instances, rehearsal)::routes);
        routes.add(new OrganizationController(new OrganizationService(jdbi, auditLog))::routes);
        routes.add(new TokenController(authService)::routes);
        routes.add(new SessionController(sessions)::routes);
        routes.add(new BlueprintController(blueprints)::routes);
        routes.add(new AuditController(auditLog, new AuditVerifier(jdbi, auditKey))::routes);
        routes.add(new ValidationController(validations, policy, customRuleService)::routes);
        routes.add(new RulesController(policy, publisher)::routes);
        routes.add(new BundleController(bundles, publisher)::routes);
        routes.add(new CustomRuleController(customRuleService)::routes);
        routes.add(new CatalogController(policy)::routes);
        // Agent templates live beside the rules folder (templates/); a server reading no folder serves the packed ones.
        routes.add(new TemplateController(new TemplateLibrary(
                watched == null ? null : config.rulesDir().resolveSibling("templates")))::routes);
        routes.add(new DeploymentController(deployments,
                new AgentLifecycle(jdbi, blueprints, agentStates, agentSync, auditLog),
                new DeploymentQueries(jdbi, blueprints, policy, registry))::routes);
        routes.add(new EmergencyStopController(
                new EmergencyStop(jdbi, blueprints, agentStates, agentSync, auditLog))::routes);
        routes.add(new ClusterController(new ClusterService(jdbi, instances, desired))::routes);
        routes.add(new EventController(new EventService(jdbi, registry))::routes);
        // Shadow mode (issue 16): committed decisions are offered to a bounded queue, evaluated off the request path.
        ShadowRunner shadowRunner = new ShadowRunner(jdbi, policy, new BundleVersions(policy, bundles), pipeline,
                config.shadowQueue()).start();
        background.add(shadowRunner);
        background.add(Periodic.every("shadows", java.time.Duration.ofSeconds(5), shadowRunner::refresh));
        DecisionWaits decisionWaits = new DecisionWaits(jdbi, database::newConnection).start();
        background.add(decisionWaits);
        DecisionService decisions = new DecisionService(jdbi, policy, registry, blueprints, pipeline, approvals,
                auditLog, metrics).tap(shadowRunner);
        background.add(Periodic.every("history-counts", java.time.Duration.ofHours(1), decisions::forgetOldHistory));
        // First of all routes: Javalin tries a method's routes in the order they were added, a regex each, and
        // proposals are nearly every request (matching ~20 POST routes first cost ~3% of a decision's CPU).
        routes.add(0, new DecisionController(decisions,
                new DecisionQueries(jdbi, policy, registry, blueprints, pipeline), decisionWaits)::routes);
        // Explain a decision; replay past decisions against a candidate (issue 16).
        routes.add(ReplayController.create(jdbi, policy, bundles, blueprints, pipeline)::routes);
        routes.add(new ShadowController(new ShadowService(jdbi, auditLog, shadowRunner,
                new BundleVersions(policy, bundles), blueprints, publisher, deployments))::routes);
        routes.add(new AnalyticsController(new AnalyticsService(jdbi, policy))::routes);
        routes.add(new ApprovalController(approvals, approvalEvents)::routes);
        routes.add(new ExecutionController(new ExecutionService(jdbi, approvals, auditLog))::routes);
        routes.add(new GrantController(grants)::routes);
        routes.add(new MetricsController(metrics, authService, config.metricsToken())::routes);
        routes.add(new MonitoringController(new MonitoringQueries(jdbi, registry))::routes);
        routes.add(new ApiDocsController(() -> endpoints.stream().map(e -> new OpenApiDocument.Route(e.method(),
                e.path(), e.roles().stream().map(Object::toString).collect(Collectors.toSet()))).toList())::routes);

        Javalin javalin = Javalin.create(cfg -> {
            cfg.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) {
                    endpoints.add(new Endpoint(meta.getHttpMethod().name(), meta.getPath(), Set.copyOf(meta.getRoles())));
                }
            });
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            // SIGTERM drains: stop accepting, let requests in flight finish (up to 30 s), then stop.
            cfg.jetty.modifyServer(server -> {
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(30_000);
            });
            cfg.events.serverStopping(approvalEvents::closeStreams);
            cfg.events.serverStopping(decisionWaits::answerAll);
            cfg.http.maxRequestSize = HttpLimits.MAX_BODY_BYTES;
            cfg.http.prefer405over404 = true;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                RequestIds.assign(ctx);
            });
            cfg.routes.beforeMatched(accessControl::check);
            cfg.routes.after(ctx -> {
                Long started = ctx.attribute(STARTED);
                if (started != null) {
                    metrics.httpRequest(ctx.method().name(), route(ctx), ctx.statusCode(), System.nanoTime() - started);
                }
                RequestIds.clear();
            });
            ErrorMapping.register(cfg);
            routes.forEach(r -> r.accept(cfg));
            Console.serve(cfg);
        });
        return new App(database, javalin, endpoints, background, changes, instances, port, rehearsal);
    }

    private static final String STARTED = "startedNanos";

    /** The route template ("/api/agents/{id}"), never the raw path, so the metric's label set stays small. */
    private static String route(io.javalin.http.Context ctx) {
        try {
            io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? "unmatched" : matched.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /** Starts listening; if that fails (port in use) everything already started is closed again. */
    public App start() {
        try {
            portClaim.close();
            javalin.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        String host = javalin.jettyServer().server().getURI().getHost();
        instances.listeningOn("http://" + host + ":" + port());
        log.info("Agent Factory listening on http://{}:{}", host, port());
        rehearsal.start(() -> log.info("Agent Factory ready on http://{}:{}", host, port()));
        return this;
    }

    public int port() {
        return javalin.port();
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    public Database database() {
        return database;
    }

    /** This instance's feed of the changes every instance makes. */
    public ChangeFeed changes() {
        return changes;
    }

    /** This instance as the other instances see it. */
    public Instances instance() {
        return instances;
    }

    @Override
    public void close() {
        portClaim.close();
        rehearsal.close();
        javalin.stop();
        for (AutoCloseable task : background) {
            try {
                task.close();
            } catch (Exception e) {
                log.warn("could not stop {}", task, e);
            }
        }
        database.close();
        log.info("Agent Factory stopped");
    }
}
