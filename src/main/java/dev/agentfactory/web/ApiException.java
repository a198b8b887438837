package dev.agentfactory.web;

import java.util.List;

/**
 * An error the client can act on: mapped by {@link ErrorMapping} to
 * {@code {"error":{"code","message","details"}}} with its HTTP status.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<?> details;

    public ApiException(int status, String code, String message, List<?> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<?> details() {
        return details;
    }
}
