package dev.agentfactory.rules;

import dev.agentfactory.auth.Caller;
import dev.agentfactory.auth.Role;
import dev.agentfactory.web.BadRequestException;
import dev.agentfactory.web.ForbiddenException;
import dev.agentfactory.web.JsonBody;
import dev.agentfactory.web.NotFoundException;
import dev.agentfactory.web.Paging;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * {@code /api/rules/bundles}: every published policy bundle, its files and activations, for the
 * compliance officers and ADMINs of every organization (bundles hold no organization's data); and
 * activation, a system action only the system administrator takes.
 */
public final class BundleController {
    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{1,64}");
    private static final int MAX_PATH = 1000;
    private static final int MAX_REASON = 1000;

    private final BundleStore store;
    private final BundlePublisher publisher;

    public BundleController(BundleStore store, BundlePublisher publisher) {
        this.store = store;
        this.publisher = publisher;
    }

    public void routes(JavalinConfig config) {
        config.routes.get("/api/rules/bundles", ctx -> ctx.json(store.list(Paging.from(ctx))),
                Role.COMPLIANCE, Role.ADMIN);
        config.routes.get("/api/rules/bundles/{version}", ctx -> ctx.json(store.get(version(ctx))),
                Role.COMPLIANCE, Role.ADMIN);
        // <path>: the file's path holds slashes (actions/tier1-relevance.drl)
        config.routes.get("/api/rules/bundles/{version}/files/<path>", this::file, Role.COMPLIANCE, Role.ADMIN);
        config.routes.post("/api/rules/bundles/{version}/activate", this::activate, Role.ADMIN);
    }

    /** The exact text, as plain text: what was compiled is what is shown. */
    private void file(Context ctx) {
        String version = version(ctx);
        String path = ctx.pathParam("path");
        if (path.length() > MAX_PATH || path.chars().anyMatch(c -> c < 0x20)) {
            throw new NotFoundException("that file in policy bundle " + version);
        }
        String text = store.file(version, path);
        ctx.header("X-Content-Type-Options", "nosniff").contentType("text/plain; charset=utf-8").result(text);
    }

    public record ActivationRequest(String reason) {
    }

    private void activate(Context ctx) {
        Caller caller = Caller.of(ctx);
        if (!caller.systemAdmin()) {
            throw new ForbiddenException("activating a policy bundle switches the rules of every organization: only the "
                    + "system administrator (the bootstrap admin) may");
        }
        String version = version(ctx);
        ActivationRequest request = JsonBody.read(ctx, ActivationRequest.class);
        if (request.reason() == null || request.reason().isBlank() || request.reason().length() > MAX_REASON) {
            throw new BadRequestException("reason", "required: why this bundle is activated, 1-" + MAX_REASON
                    + " characters");
        }
        ctx.json(publisher.activate(caller, version, request.reason().strip()));
    }

    private static String version(Context ctx) {
        String version = ctx.pathParam("version");
        if (!VERSION.matcher(version).matches()) {
            throw new BadRequestException("version", "must be a bundle version: 1-64 lower-case hexadecimal digits");
        }
        return version;
    }
}
