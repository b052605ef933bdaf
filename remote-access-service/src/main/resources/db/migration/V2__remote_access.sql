-- A remote-access switch of a tenant's fleet, group or device; id is {tenant}/fleet, {tenant}/group:{g} or
-- {tenant}/device:{d} (the key of its events).
create table remote_access_switch (
    id         text primary key,
    tenant_id  text not null,
    scope      text not null check (scope in ('fleet', 'group', 'device')),
    target     text,
    enabled    boolean not null,
    until      timestamptz,
    ports      integer[] not null,
    reason     text not null,
    set_by     text not null,
    set_at     timestamptz not null
);
create index remote_access_switch_tenant on remote_access_switch (tenant_id);

-- A tunnel: one TCP stream from an operator to a port of a device through the relay.
create table tunnel (
    id                 text primary key,
    tenant_id          text not null,
    device_id          text not null,
    -- The registry's createdAt of the device when the tunnel was opened: a device created again is another device.
    device_incarnation timestamptz,
    port               integer not null,
    opened_by          text not null,
    requested_at       timestamptz not null,
    closes_by          timestamptz not null,
    state              text not null check (state in ('OPENING', 'OPEN', 'CLOSED')),
    -- The relay node (its internal URL) each side is connected to; null until it connects.
    operator_node      text,
    device_node        text,
    connected_at       timestamptz,
    -- Set by whoever first decides the tunnel must end (policy, DELETE, a side); the nodes close their sides with it.
    close_code         integer,
    close_reason       text,
    closed_at          timestamptz,
    bytes_to_device    bigint not null default 0,
    bytes_from_device  bigint not null default 0
);
create index tunnel_device on tunnel (tenant_id, device_id, requested_at desc);
create index tunnel_open on tunnel (state) where state <> 'CLOSED';

-- Single-use tokens of a tunnel's two sides, stored hashed (SHA-256).
create table tunnel_token (
    hash        bytea primary key,
    tunnel_id   text not null references tunnel (id) on delete cascade,
    side        text not null check (side in ('operator', 'device')),
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index tunnel_token_tunnel on tunnel_token (tunnel_id);

-- Every remote-access event as published on outpost.remote-access-events.v1, for the audit API.
create table remote_access_audit (
    id         text primary key,
    seq        bigserial not null unique,
    tenant_id  text not null,
    at         timestamptz not null,
    type       text not null,
    actor      text not null,
    scope      text not null,
    target     text,
    tunnel_id  text,
    event      jsonb not null
);
create index remote_access_audit_tenant on remote_access_audit (tenant_id, seq desc);
