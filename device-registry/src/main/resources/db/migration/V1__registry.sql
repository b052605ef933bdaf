-- The device registry's schema. Devices, groups and credentials use surrogate keys internally; the public ids
-- (tenant id, device id, group id) are unique per tenant.

create table tenant (
    id           varchar(63) primary key,
    display_name text        not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    version      bigint      not null
);

create table device (
    pk         bigserial primary key,
    tenant_id  varchar(63)  not null references tenant (id) on delete cascade,
    device_id  varchar(128) not null,
    enabled    boolean      not null,
    labels     jsonb        not null default '{}'::jsonb,
    attributes jsonb        not null default '{}'::jsonb,
    created_at timestamptz  not null,
    updated_at timestamptz  not null,
    version    bigint       not null,
    unique (tenant_id, device_id)
);
-- Label selectors (labels @> '{"k":"v"}') and the "newest first" sort.
create index device_labels on device using gin (labels jsonb_path_ops);
create index device_by_created on device (tenant_id, created_at, device_id);

create table device_group (
    pk           bigserial primary key,
    tenant_id    varchar(63)  not null references tenant (id) on delete cascade,
    group_id     varchar(128) not null,
    display_name text,
    description  text,
    created_at   timestamptz  not null,
    updated_at   timestamptz  not null,
    version      bigint       not null,
    unique (tenant_id, group_id)
);

create table group_member (
    group_pk  bigint not null references device_group (pk) on delete cascade,
    device_pk bigint not null references device (pk) on delete cascade,
    primary key (group_pk, device_pk)
);
create index group_member_by_device on group_member (device_pk);

create table credential (
    id         uuid primary key,
    device_pk  bigint      not null references device (pk) on delete cascade,
    algorithm  varchar(32) not null,
    salt       bytea       not null,
    hash       bytea       not null,
    created_at timestamptz not null,
    not_after  timestamptz,
    revoked_at timestamptz
);
create index active_credential_by_device on credential (device_pk) where revoked_at is null;

create table connection_status (
    device_pk        bigint primary key references device (pk) on delete cascade,
    online           boolean     not null,
    since            timestamptz not null,
    last_seen        timestamptz not null,
    node             text,
    session_id       text,
    protocol_version text,
    remote_address   text
);

-- Transactional outbox for outpost.registry.devices.v1: written in the same transaction as the change it reports,
-- relayed to Kafka in seq order, deleted once Kafka acknowledged it. A null payload is a tombstone.
create table registry_outbox (
    seq        bigserial primary key,
    record_key text        not null,
    payload    text,
    created_at timestamptz not null
);
