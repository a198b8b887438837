package dev.agentfactory.web;

public final class HttpLimits {
    /** Bodies above 1 MiB are refused with 413 before they are parsed. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    private HttpLimits() {
    }
}
