package dev.agentfactory.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A sliding window a loaded rule declares with {@code @window("<per> <actionType|*> <hours>")} (several
 * separated by {@code ;}). The server computes a window's {@link dev.agentfactory.rules.model.RecentActions}
 * fact only for proposals of its action type, and only while some loaded rule declares it.
 */
public record HistoryWindow(String per, String actionType, int hours) {
    private static final Set<String> PERS = Set.of("agent", "contact");
    /** A window reaches back at most 31 days: it is read on the decision path. */
    public static final int MAX_HOURS = 31 * 24;

    public boolean covers(String proposedType) {
        return actionType.equals("*") || actionType.equals(proposedType);
    }

    /** The windows of one {@code @window} value; a malformed one is an {@link IllegalArgumentException} saying why. */
    static List<HistoryWindow> parse(String value) {
        List<HistoryWindow> windows = new ArrayList<>();
        for (String part : value.split(";")) {
            String[] words = part.trim().split("\\s+");
            if (words.length != 3 || !PERS.contains(words[0]) || !words[1].matches("\\*|[A-Za-z][A-Za-z0-9_]*")
                    || !words[2].matches("[0-9]{1,4}")) {
                throw new IllegalArgumentException("@window \"" + part.trim() + "\" must read \"<agent|contact>"
                        + " <ActionType|*> <hours>\", such as \"contact SendEmail 24\"");
            }
            int hours = Integer.parseInt(words[2]);
            if (hours < 1 || hours > MAX_HOURS) {
                throw new IllegalArgumentException("@window hours must be 1 to " + MAX_HOURS + ", not " + hours);
            }
            windows.add(new HistoryWindow(words[0], words[1], hours));
        }
        return windows;
    }
}
