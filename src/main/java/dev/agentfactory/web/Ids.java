package dev.agentfactory.web;

import io.javalin.http.Context;
import java.util.UUID;

/** Path and query ids are UUIDs; anything else is a 400 naming the parameter. */
public final class Ids {
    private Ids() {
    }

    public static UUID pathId(Context ctx, String name) {
        return parse(name, ctx.pathParam(name));
    }

    public static UUID parse(String field, String value) {
        try {
            if (value == null || value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field, "must be a UUID such as 3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f");
        }
    }
}
