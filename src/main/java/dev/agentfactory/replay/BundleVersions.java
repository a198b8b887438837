package dev.agentfactory.replay;

import dev.agentfactory.rules.ActiveBundle;
import dev.agentfactory.rules.BuiltBundle;
import dev.agentfactory.rules.BundleBuilder;
import dev.agentfactory.rules.BundleStore;
import dev.agentfactory.rules.PolicyEngine;
import dev.agentfactory.web.ApiException;

/** Any stored bundle, built as the server builds it (the serving one as it is; others built once, kept by the engine). */
public final class BundleVersions {
    private final PolicyEngine policy;
    private final BundleStore store;

    public BundleVersions(PolicyEngine policy, BundleStore store) {
        this.policy = policy;
        this.store = store;
    }

    /** @param version a stored bundle's version, or null for the serving one */
    public BuiltBundle built(String version, String trigger) {
        ActiveBundle active = policy.active();
        if (version == null || version.equals(active.version())) {
            return active.built();
        }
        store.get(version);
        BundleBuilder.Result result = policy.build(version, () -> store.load(version), trigger);
        if (result instanceof BundleBuilder.Refused refused) {
            throw new ApiException(422, "bundle_refused", "policy bundle " + version + " does not build on this server ("
                    + refused.refusal().reason() + ")", refused.refusal().errors());
        }
        return ((BundleBuilder.Built) result).bundle();
    }
}
