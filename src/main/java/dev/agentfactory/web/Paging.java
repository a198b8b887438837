package dev.agentfactory.web;

import io.javalin.http.Context;
import java.util.List;

/** {@code page} (from 1) and {@code limit} (1..100, default 20) query parameters. */
public record Paging(int page, int limit) {
    public static final int MAX_LIMIT = 100;

    public static Paging from(Context ctx) {
        return new Paging(intParam(ctx, "page", 1, 1, Integer.MAX_VALUE / MAX_LIMIT),
                intParam(ctx, "limit", 20, 1, MAX_LIMIT));
    }

    public int offset() {
        return (page - 1) * limit;
    }

    public <T> Page<T> of(List<T> items, long total) {
        return new Page<>(items, page, limit, total);
    }

    public record Page<T>(List<T> items, int page, int limit, long total) {
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new BadRequestException(name, "must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadRequestException(name, "must be an integer between " + min + " and " + max);
        }
    }
}
