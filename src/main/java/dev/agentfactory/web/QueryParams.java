package dev.agentfactory.web;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Optional query parameters, each a 400 naming the parameter when it cannot be read. */
public final class QueryParams {
    private QueryParams() {
    }

    /** A text parameter; one PostgreSQL could not compare or store (NUL, a lone surrogate) is a 400. */
    public static Optional<String> text(Context ctx, String name) {
        Optional<String> value = Optional.ofNullable(ctx.queryParam(name)).filter(s -> !s.isEmpty());
        value.flatMap(StorableText::problem).ifPresent(problem -> {
            throw new BadRequestException(name, problem);
        });
        return value;
    }

    public static <E extends Enum<E>> Optional<E> enumValue(Context ctx, String name, Class<E> type) {
        return text(ctx, name).map(raw -> {
            try {
                return Enum.valueOf(type, raw);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(name, "'" + raw + "' is not allowed; allowed values: "
                        + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", ")));
            }
        });
    }

    public static Optional<Instant> instant(Context ctx, String name) {
        return text(ctx, name).map(raw -> {
            try {
                return Instant.parse(raw);
            } catch (DateTimeParseException e) {
                throw new BadRequestException(name, "must be an ISO-8601 instant such as 2026-01-31T09:00:00Z");
            }
        });
    }

    public static Optional<java.util.UUID> uuid(Context ctx, String name) {
        return text(ctx, name).map(raw -> Ids.parse(name, raw));
    }
}
