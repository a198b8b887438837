package dev.agentfactory.blueprint;

import java.util.List;
import java.util.Map;

/**
 * What sets an agent off.
 *
 * @param triggerConditions conditions on an event's data that must all hold, e.g.
 *     {@code {"leadScore": {">=": 70}, "channel": "sms"}}
 */
public record TriggerConfig(List<String> supportedIntents, List<String> eventTriggers, TriggerMode mode,
                            Map<String, Object> triggerConditions) {
    public TriggerConfig {
        supportedIntents = Copies.list(supportedIntents);
        eventTriggers = Copies.list(eventTriggers);
        mode = mode == null ? TriggerMode.Reactive : mode;
        triggerConditions = Copies.map(triggerConditions);
    }

    static TriggerConfig defaults() {
        return new TriggerConfig(null, null, null, null);
    }
}
