-- The registry outbox now feeds two compacted topics: outpost.registry.devices.v1 and outpost.registry.groups.v1.
-- Every row names its topic; the rows waiting when this runs are device records. No default afterwards: a writer
-- that forgets the topic fails instead of publishing to the wrong one. The check keeps a row the relay could not
-- route from ever blocking it.
alter table registry_outbox add column topic text not null default 'outpost.registry.devices.v1';
alter table registry_outbox alter column topic drop default;
alter table registry_outbox add constraint registry_outbox_topic
    check (topic in ('outpost.registry.devices.v1', 'outpost.registry.groups.v1'));

-- Publish the groups that exist already: consumers of the new topic learn of them without waiting for a change.
-- The payload is a RegistryGroup as the registry writes it (updatedAt an ISO-8601 instant in UTC).
insert into registry_outbox (topic, record_key, payload, created_at)
select 'outpost.registry.groups.v1', g.tenant_id || '/' || g.group_id,
       json_build_object('tenant', g.tenant_id, 'group', g.group_id, 'name', g.display_name, 'version', g.version,
                         'updatedAt', to_char(g.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
       now()
from device_group g
order by g.pk;
