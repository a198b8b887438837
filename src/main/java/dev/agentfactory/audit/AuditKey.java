package dev.agentfactory.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.agentfactory.Config;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * The secret the audit trail is keyed with: every entry's MAC and every seal is an HMAC-SHA256
 * with it. It lives outside the database ({@code AF_AUDIT_KEY}, or {@code <data dir>/audit-key}),
 * so the database owner cannot compute a MAC for content it rewrote. The database only holds its
 * fingerprint, per key epoch (see {@link AuditKeyEpochs}). Never logged, never in an exception.
 */
public final class AuditKey {
    static final int MIN_LENGTH = 32;
    private static final String FINGERPRINT_LABEL = "agent-factory audit key fingerprint";
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Mac prototype;
    private final int epoch;
    private final String fingerprint;

    private AuditKey(Mac prototype, int epoch) {
        this.prototype = prototype;
        this.epoch = epoch;
        this.fingerprint = hex(prototype(prototype), FINGERPRINT_LABEL);
    }

    /**
     * The key the server runs with: {@code AF_AUDIT_KEY}, else the key file in the data folder
     * (generated on the first start), checked against the key epochs recorded in the database.
     * Throws with a one-line message when it is not the key this database's trail was sealed with.
     */
    public static AuditKey open(Config.Audit config, Path dataDir, Jdbi jdbi) {
        return new AuditKeyEpochs(jdbi, dataDir).adopt(config.key(), config.newEpoch());
    }

    /** The key in {@code secret}, the key of {@code epoch}. */
    static AuditKey of(String secret, int epoch) {
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("must be at least " + MIN_LENGTH + " characters");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new AuditKey(mac, epoch);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public int epoch() {
        return epoch;
    }

    /** HMAC of a fixed label: tells keys apart without revealing them. */
    String fingerprint() {
        return fingerprint;
    }

    /** The fingerprint as operators see it in messages and reports. */
    public String shortFingerprint() {
        return fingerprint.substring(0, 16);
    }

    /** The MAC written with an entry. */
    String entryMac(EntryContent content) {
        return mac(content.canonical());
    }

    /** HMAC-SHA256 of a JSON array of {@code values} (strings, numbers or null), as hex. */
    String macOf(Object... values) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeStartArray();
            for (Object value : values) {
                if (value == null) {
                    generator.writeNull();
                } else if (value instanceof Number number) {
                    generator.writeNumber(number.longValue());
                } else {
                    generator.writeString(CanonicalJson.storable(value.toString()));
                }
            }
            generator.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mac(out.toString());
    }

    private String mac(String canonical) {
        return hex(prototype(prototype), canonical);
    }

    /** Compares two MACs in constant time. */
    static boolean same(String expected, String actual) {
        return actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                actual.getBytes(StandardCharsets.US_ASCII));
    }

    /** A fresh Mac with the key: cloning the initialised one is far cheaper than a new one per call. */
    private static Mac prototype(Mac prototype) {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JCE provider cannot clone an HmacSHA256", e);
        }
    }

    private static String hex(Mac mac, String text) {
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "AuditKey[epoch " + epoch + ", fingerprint " + shortFingerprint() + "]";
    }
}
