package dev.agentfactory.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Console sessions: hashes of session ids and CSRF tokens, each tied to the token it was opened with. */
@RegisterConstructorMapper(SessionDao.Live.class)
interface SessionDao {

    /** A session that is still good, with the token behind it (which must not be revoked). */
    record Live(String csrfHash, Instant lastSeenAt, Instant expiresAt, UUID tokenId) {
    }

    @SqlUpdate("""
            insert into console_sessions (id_hash, csrf_hash, token_id, expires_at)
            values (:idHash, :csrfHash, :tokenId, :expiresAt)
            """)
    void insert(@Bind("idHash") String idHash, @Bind("csrfHash") String csrfHash, @Bind("tokenId") UUID tokenId,
                @Bind("expiresAt") Instant expiresAt);

    /** Good means: not signed out, not past its absolute expiry, used within the idle limit, token not revoked. */
    @SqlQuery("""
            select s.csrf_hash, s.last_seen_at, s.expires_at, s.token_id
              from console_sessions s join api_tokens t on t.id = s.token_id
             where s.id_hash = :idHash and s.ended_at is null and t.revoked_at is null
               and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => :idleSeconds)
            """)
    Optional<Live> findLive(@Bind("idHash") String idHash, @Bind("idleSeconds") long idleSeconds);

    @SqlUpdate("update console_sessions set last_seen_at = now() where id_hash = :idHash and ended_at is null")
    void touch(@Bind("idHash") String idHash);

    @SqlUpdate("update console_sessions set ended_at = now() where id_hash = :idHash and ended_at is null")
    int end(@Bind("idHash") String idHash);

    /** Sessions that can no longer be used are kept a day for the record, then forgotten. */
    @SqlUpdate("delete from console_sessions where expires_at < now() - interval '1 day'")
    int forgetExpired();
}
