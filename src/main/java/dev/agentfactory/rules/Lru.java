package dev.agentfactory.rules;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the rules package keeps for the process (built bundles, compiled packages, passed files, ...): at most a few, least recently used dropped first. */
final class Lru {
    private Lru() {
    }

    /** An unsynchronized map of at most {@code max} entries, in access order; the eldest goes when one more comes. */
    static <K, V> Map<K, V> map(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
