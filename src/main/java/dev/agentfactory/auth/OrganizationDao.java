package dev.agentfactory.auth;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(Organization.class)
public interface OrganizationDao {

    @SqlQuery("""
            insert into organizations (name) values (:name)
            on conflict (name) do nothing
            returning id, name, created_at
            """)
    Optional<Organization> insertIfAbsent(@Bind("name") String name);

    @SqlQuery("select id, name, created_at from organizations where id = :id")
    Optional<Organization> find(@Bind("id") UUID id);

    @SqlQuery("select id, name, created_at from organizations where name = :name")
    Optional<Organization> findByName(@Bind("name") String name);

    @SqlQuery("select id, name, created_at from organizations order by name")
    List<Organization> list();
}
