package dev.agentfactory.web;

import java.util.List;

/** The one error shape of the API: {@code {"error":{"code","message","details"}}}. */
public record ErrorBody(Error error) {
    public record Error(String code, String message, List<?> details) {
    }

    public static ErrorBody of(String code, String message, List<?> details) {
        return new ErrorBody(new Error(code, message, details));
    }
}
