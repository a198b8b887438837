package dev.agentfactory.web;

import dev.agentfactory.db.DatabaseErrors;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.validation.ValidationException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place that turns exceptions into HTTP errors. 4xx are logged at warn without a stack
 * trace, 5xx at error with one — except database failures, logged as one line without statement
 * or values (stack trace at debug) and answered 503 when the database is unavailable. The client
 * never sees a stack trace.
 */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    public static void register(JavalinConfig config) {
        config.routes.exception(ApiException.class, (e, ctx) -> respond(ctx, e.status(), e.code(), e.getMessage(), e.details()));
        config.routes.exception(ValidationException.class, (e, ctx) -> {
            List<FieldProblem> problems = e.getErrors().entrySet().stream()
                    .flatMap(entry -> entry.getValue().stream()
                            .map(error -> new FieldProblem(entry.getKey(), error.getMessage())))
                    .toList();
            respond(ctx, 400, "bad_request", "invalid request parameters", problems);
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            if (status == 405) {
                methodNotAllowed(ctx, e);
                return;
            }
            respond(ctx, status, codeFor(status), messageFor(status, e.getMessage(), ctx), List.of());
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            DatabaseErrors.error(log, "unhandled error on " + ctx.method() + " " + ctx.path(), e);
            if (DatabaseErrors.isUnavailable(e)) {
                respond(ctx, 503, "service_unavailable", "the database is unavailable; try again shortly (request id "
                        + RequestIds.of(ctx) + ")", List.of());
            } else {
                respond(ctx, 500, "internal_error",
                        "internal error; quote request id " + RequestIds.of(ctx) + " to the operator", List.of());
            }
        });
        // Errors Jetty or Javalin produce without an exception (e.g. a 404 for an unknown path).
        config.routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                respond(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path(), List.of());
            }
        });
    }

    /** Javalin's 405 lists the path's methods in its details; they become the {@code Allow} header and the message. */
    private static void methodNotAllowed(Context ctx, HttpResponseException e) {
        String allowed = e.getDetails().values().stream().findFirst().orElse("");
        ctx.header("Allow", allowed);
        respond(ctx, 405, "method_not_allowed", "method " + ctx.method() + " is not allowed on " + ctx.path()
                + (allowed.isEmpty() ? "" : "; allowed: " + allowed), List.of());
    }

    private static void respond(Context ctx, int status, String code, String message, List<?> details) {
        if (status < 500) {
            log.warn("{} {} -> {} {}: {}", ctx.method(), ctx.path(), status, code, message);
        }
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ctx.status(status).json(ErrorBody.of(code, message, details));
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 412 -> "precondition_failed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 503 -> "service_unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    private static String messageFor(int status, String original, Context ctx) {
        return switch (status) {
            case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
            case 413 -> "request body too large: the limit is " + HttpLimits.MAX_BODY_BYTES + " bytes";
            default -> original == null || original.isBlank() ? HttpStatus.forStatus(status).getMessage() : original;
        };
    }
}
