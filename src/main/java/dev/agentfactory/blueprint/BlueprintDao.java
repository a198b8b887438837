package dev.agentfactory.blueprint;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Every query takes the caller's organization: another organization's blueprint does not exist. */
@RegisterConstructorMapper(BlueprintDao.Row.class)
@RegisterConstructorMapper(BlueprintDao.VersionRow.class)
public interface BlueprintDao {

    record Row(UUID id, UUID organizationId, String status, int version, String spec, String createdBy,
               Instant createdAt, Instant lastModified, String modifiedBy, UUID deploymentId) {
    }

    record VersionRow(int version, Instant createdAt, String createdBy, String snapshot) {
    }

    String COLUMNS = """
            id, organization_id, status, version, spec::text as spec, created_by, created_at,
            last_modified, modified_by, deployment_id
            """;

    @SqlQuery("""
            insert into blueprints (id, organization_id, name, status, version, industry_profile, spec, created_by)
            values (:id, :organizationId, :name, 'Draft', 1, :industryProfile, cast(:spec as jsonb), :createdBy)
            returning\s""" + COLUMNS)
    Row insert(@Bind("id") UUID id, @Bind("organizationId") UUID organizationId, @Bind("name") String name,
               @Bind("industryProfile") String industryProfile, @Bind("spec") String spec,
               @Bind("createdBy") String createdBy);

    @SqlQuery("select " + COLUMNS + " from blueprints where organization_id = :organizationId and id = :id")
    Optional<Row> find(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id);

    @SqlQuery("select " + COLUMNS + " from blueprints where organization_id = :organizationId and id = :id for update")
    Optional<Row> findForUpdate(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id);

    /** Deprecated (deleted) blueprints are listed only when asked for by status. */
    String FILTER = """
            where organization_id = :organizationId
              and (status = :status or (cast(:status as text) is null and status <> 'Deprecated'))
              and (cast(:createdBy as text) is null or created_by = :createdBy)
              and (cast(:industryProfile as text) is null or industry_profile = :industryProfile)
            """;

    @SqlQuery("select " + COLUMNS + " from blueprints " + FILTER
            + " order by created_at desc, id limit :limit offset :offset")
    List<Row> list(@Bind("organizationId") UUID organizationId, @Bind("status") String status,
                   @Bind("createdBy") String createdBy, @Bind("industryProfile") String industryProfile,
                   @Bind("limit") int limit, @Bind("offset") int offset);

    @SqlQuery("select count(*) from blueprints " + FILTER)
    long count(@Bind("organizationId") UUID organizationId, @Bind("status") String status,
               @Bind("createdBy") String createdBy, @Bind("industryProfile") String industryProfile);

    @SqlQuery("""
            update blueprints
               set spec = cast(:spec as jsonb), name = :name, industry_profile = :industryProfile,
                   status = :status, version = version + 1, last_modified = now(), modified_by = :modifiedBy
             where organization_id = :organizationId and id = :id
            returning\s""" + COLUMNS)
    Row updateSpec(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id, @Bind("name") String name,
                   @Bind("industryProfile") String industryProfile, @Bind("spec") String spec,
                   @Bind("status") String status, @Bind("modifiedBy") String modifiedBy);

    @SqlQuery("""
            update blueprints set status = :status
             where organization_id = :organizationId and id = :id
            returning\s""" + COLUMNS)
    Row updateStatus(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id, @Bind("status") String status);

    @SqlUpdate("""
            insert into blueprint_versions (blueprint_id, version, organization_id, snapshot, created_by)
            values (:id, :version, :organizationId, cast(:snapshot as jsonb), :createdBy)
            """)
    void insertVersion(@Bind("id") UUID id, @Bind("version") int version, @Bind("organizationId") UUID organizationId,
                       @Bind("snapshot") String snapshot, @Bind("createdBy") String createdBy);

    @SqlQuery("""
            select version, created_at, created_by, snapshot::text as snapshot from blueprint_versions
             where organization_id = :organizationId and blueprint_id = :id
             order by version desc
            """)
    List<VersionRow> versions(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id);

    @SqlQuery("""
            select version, created_at, created_by, snapshot::text as snapshot from blueprint_versions
             where organization_id = :organizationId and blueprint_id = :id and version = :version
            """)
    Optional<VersionRow> version(@Bind("organizationId") UUID organizationId, @Bind("id") UUID id,
                                 @Bind("version") int version);
}
