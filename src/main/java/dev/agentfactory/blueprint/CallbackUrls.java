package dev.agentfactory.blueprint;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Callback URLs are checked against the AF_CALLBACK_HOSTS allow-list before a blueprint is valid
 * and again before each delivery: the server never POSTs to a host nobody allowed (no SSRF).
 */
public final class CallbackUrls {
    private CallbackUrls() {
    }

    /** The lower-cased host of an absolute http(s) URL, or empty when it is not one. */
    public static Optional<String> host(String url) {
        if (url == null || url.length() > 2000) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getUserInfo() != null) {
                return Optional.empty();
            }
            return Optional.of(uri.getHost().toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    public static boolean allowed(String url, Set<String> allowedHosts) {
        return host(url).map(allowedHosts::contains).orElse(false);
    }
}
