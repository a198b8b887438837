package dev.agentfactory.rules.model;

import java.util.Map;

/** Helpers rules use to read hints from an action's payload. */
public final class Payloads {
    private Payloads() {
    }

    /** The payload's {@code amount} as a number (numbers and numeric strings), or 0 when there is none. */
    public static double amount(Map<String, Object> payload) {
        Object amount = payload.get("amount");
        if (amount instanceof Number number) {
            return number.doubleValue();
        }
        if (amount instanceof String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
