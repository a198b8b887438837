package dev.agentfactory.rules.model;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Helpers rules use to read hints from an action's payload and user overrides. An amount is read only when it is a
 * plain finite number: a JSON number, or a string holding one ({@code "50000"}, {@code "1e3"}).
 * Anything else that is present ({@code "50,000"}, {@code "$50000"}, {@code "NaN"},
 * {@code {"value": 50000}}, {@code [1]}, {@code true}) is unreadable, and the rules send an
 * unreadable amount to a human rather than treat it as no amount at all. So is a payload with another
 * key that differs from {@code amount} only in case or spaces ({@code "Amount"}, {@code "amount "}):
 * a reader that ignores case would take that one for the amount.
 */
public final class Payloads {
    /** JSON's number grammar: no thousands separators, currency signs, hex, NaN, Infinity or Java's 5d/5f suffixes. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private Payloads() {
    }

    /** The payload's {@code amount} when it is a plain finite number, otherwise 0 (none, or unreadable). */
    public static double amount(Map<String, Object> payload) {
        return read(payload.get("amount")).orElse(0);
    }

    /**
     * True when the payload has an {@code amount} (not null) that is not a plain finite number, or a key
     * spelled like {@code amount} but for case or spaces.
     */
    public static boolean amountUnreadable(Map<String, Object> payload) {
        Object amount = payload.get("amount");
        return amount != null && read(amount).isEmpty() || otherSpelling(payload);
    }

    /** What the unreadable amount is, for a reason a human reads; never the value itself (it is the agent's text). */
    public static String amountKind(Map<String, Object> payload) {
        if (otherSpelling(payload)) {
            return "ambiguous: another key of the payload differs from 'amount' only in case or spaces";
        }
        Object amount = payload.get("amount");
        if (amount instanceof String) {
            return "text that is not a plain number";
        }
        if (amount instanceof Number) {
            return "a number that is not finite";
        }
        if (amount instanceof Map<?, ?>) {
            return "an object";
        }
        if (amount instanceof Iterable<?>) {
            return "a list";
        }
        if (amount instanceof Boolean) {
            return "true or false";
        }
        return amount == null ? "absent" : "not a number";
    }

    /**
     * True when {@code values} sets {@code key} to anything but false: {@code true}, and also
     * {@code "yes"} or {@code 1}. A user override the server cannot read counts as set, the safe
     * side of {@code requireApproval} and {@code doNotContact}; only absent, null, false and
     * "false" leave it unset.
     */
    public static boolean flagged(Map<String, Object> values, String key) {
        Object value = values.get(key);
        return value != null && !Boolean.FALSE.equals(value) && !"false".equalsIgnoreCase(String.valueOf(value).strip());
    }

    private static boolean otherSpelling(Map<String, Object> payload) {
        return payload.keySet().stream().anyMatch(key -> !key.equals("amount") && key.strip().equalsIgnoreCase("amount"));
    }

    private static OptionalDouble read(Object amount) {
        double value;
        if (amount instanceof Number number) {
            value = number.doubleValue();
        } else if (amount instanceof String text && PLAIN_NUMBER.matcher(text.strip()).matches()) {
            value = Double.parseDouble(text.strip());
        } else {
            return OptionalDouble.empty();
        }
        // 1e999 parses to Infinity and a huge integer converts to it: too big to read is unreadable.
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }
}
