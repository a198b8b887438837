package dev.agentfactory.rules;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Policy bundles, their files and activations. Rows are only ever inserted: the database refuses the rest. */
@RegisterConstructorMapper(BundleDao.BundleRow.class)
@RegisterConstructorMapper(BundleDao.FileRow.class)
@RegisterConstructorMapper(BundleDao.ActivationRow.class)
@RegisterConstructorMapper(BundleDao.FileText.class)
@RegisterConstructorMapper(BundleDao.Active.class)
interface BundleDao {

    record Active(String version, String source) {
    }

    /** @param tests the test summary as JSON text */
    record BundleRow(String version, Instant publishedAt, String publishedBy, String source, String tests,
                     int fileCount, boolean active) {
    }

    record FileRow(String path, long bytes) {
    }

    record FileText(String path, String text) {
    }

    record ActivationRow(long id, String version, String activatedBy, Instant activatedAt, String reason) {
    }

    String BUNDLE_COLUMNS = """
            b.version, b.published_at, b.published_by, b.source, b.tests::text as tests,
            (select count(*) from policy_bundle_files f where f.version = b.version) as file_count,
            b.version is not distinct from (select version from policy_bundle_activations order by id desc limit 1)
                as active
            """;

    /** Publishers and activations take turns across every instance and the CLI. */
    @SqlQuery("select pg_advisory_xact_lock(hashtext('agent-factory-policy-bundles'))::text")
    String lock();

    @SqlQuery("select version from policy_bundle_activations order by id desc limit 1")
    Optional<String> activeVersion();

    @SqlQuery("""
            select a.version, b.source from policy_bundle_activations a join policy_bundles b on b.version = a.version
             order by a.id desc limit 1
            """)
    Optional<Active> active();

    @SqlQuery("select exists (select 1 from policy_bundles where version = :version)")
    boolean exists(@Bind("version") String version);

    @SqlUpdate("""
            insert into policy_bundles (version, published_by, source, tests)
            values (:version, :publishedBy, :source, cast(:tests as jsonb))
            """)
    void insert(@Bind("version") String version, @Bind("publishedBy") String publishedBy, @Bind("source") String source,
                @Bind("tests") String tests);

    @SqlBatch("insert into policy_bundle_files (version, path, text) values (:version, :path, :text)")
    void insertFiles(@Bind("version") String version, @Bind("path") List<String> paths, @Bind("text") List<String> texts);

    @SqlQuery("""
            insert into policy_bundle_activations (version, activated_by, reason)
            values (:version, :activatedBy, :reason)
            returning id, version, activated_by, activated_at, reason
            """)
    ActivationRow activate(@Bind("version") String version, @Bind("activatedBy") String activatedBy,
                           @Bind("reason") String reason);

    @SqlQuery("select " + BUNDLE_COLUMNS + " from policy_bundles b where b.version = :version")
    Optional<BundleRow> find(@Bind("version") String version);

    @SqlQuery("select " + BUNDLE_COLUMNS + " from policy_bundles b order by b.published_at desc, b.version"
            + " limit :limit offset :offset")
    List<BundleRow> list(@Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("select count(*) from policy_bundles")
    long count();

    @SqlQuery("select path, octet_length(text) as bytes from policy_bundle_files where version = :version order by path")
    List<FileRow> files(@Bind("version") String version);

    @SqlQuery("select path, text from policy_bundle_files where version = :version order by path")
    List<FileText> texts(@Bind("version") String version);

    @SqlQuery("select text from policy_bundle_files where version = :version and path = :path")
    Optional<String> text(@Bind("version") String version, @Bind("path") String path);

    @SqlQuery("""
            select id, version, activated_by, activated_at, reason from policy_bundle_activations
             where version = :version order by id desc
            """)
    List<ActivationRow> activations(@Bind("version") String version);
}
