package dev.agentfactory.customrule;

import java.util.Map;

/** What a custom rule's conditions read: the value of one allow-listed field (null when absent). */
interface Subject {
    Object value(String field);

    /** The value under {@code key} of a free-form map field such as {@code payload.amount}. */
    static Object entry(Map<String, Object> map, String field) {
        return map == null ? null : map.get(field.substring(field.indexOf('.') + 1));
    }
}
