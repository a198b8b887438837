package dev.agentfactory.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics (Micrometer). Every meter the server records is created here, so
 * the exposed names are listed in one place:
 * <ul>
 *   <li>{@code http_server_requests_seconds} by method, route and status (histogram)</li>
 *   <li>{@code agentfactory_decisions_total} by decision, {@code agentfactory_decision_seconds} (histogram)</li>
 *   <li>{@code agentfactory_rule_reloads_seconds} by outcome (loaded, refused)</li>
 *   <li>{@code agentfactory_deployments_seconds} by outcome</li>
 *   <li>{@code agentfactory_approvals_pending}, {@code agentfactory_outbox_backlog}, {@code agentfactory_agents_live}</li>
 *   <li>JVM memory, GC, threads, class loading, CPU, uptime, and HikariCP pool metrics</li>
 * </ul>
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    public void httpRequest(String method, String route, int status, long nanos) {
        Timer.builder("http.server.requests").tag("method", method).tag("route", route)
                .tag("status", String.valueOf(status)).publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(15), Duration.ofMillis(50))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    public void decision(String decision, long micros) {
        Counter.builder("agentfactory.decisions").tag("decision", decision)
                .description("decisions on proposed actions").register(registry).increment();
        Timer.builder("agentfactory.decision").description("time to decide one action (rules only)")
                .publishPercentileHistogram().register(registry).record(Duration.ofNanos(micros * 1_000));
    }

    public void ruleReload(String outcome, long millis) {
        Timer.builder("agentfactory.rule.reloads").tag("outcome", outcome).register(registry)
                .record(Duration.ofMillis(millis));
    }

    public void deployment(String outcome, long millis) {
        Timer.builder("agentfactory.deployments").tag("outcome", outcome).publishPercentileHistogram()
                .register(registry).record(Duration.ofMillis(millis));
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }
}
