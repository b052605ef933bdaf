-- Notifications (package io.outpost.notification): one row per notification, whatever its audience. A device
-- notification also has a mailbox message with the same id (the library delivers it); a group or fleet notification is
-- one outbound record that every bridge node expands for its connected members, and members catch up from this table.

create table notification (
    id              text primary key,
    tenant_id       text not null,
    audience        text not null check (audience in ('DEVICE', 'GROUP', 'FLEET')),
    -- The device or group id; null for a fleet notification.
    target          text,
    topic           text not null,
    content_type    text,
    payload         bytea not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    state           text not null check (state in ('ACTIVE', 'FINISHED', 'REVOKED', 'EXPIRED')),
    state_at        timestamptz not null,
    state_reason    text,
    created_by      text not null,
    -- Members when it was sent (1 for a device), members that have it, members that did not get it before expiry.
    addressed       bigint not null,
    delivered       bigint not null default 0,
    expired         bigint not null default 0,
    -- Idempotency-Key of the POST that created it, scoped to the tenant, and a hash of that request.
    idempotency_key text,
    request_hash    text,
    check ((audience = 'FLEET') = (target is null))
);
create unique index notification_idempotency on notification (tenant_id, idempotency_key)
    where idempotency_key is not null;
-- Lists: newest first, per tenant; per target.
create index notification_by_tenant on notification (tenant_id, created_at desc, id desc);
create index notification_by_target on notification (tenant_id, audience, target, created_at desc, id desc);
-- Catch-up on connect and on joining a group: the tenant's live group and fleet notifications.
create index notification_live on notification (tenant_id, audience, target, created_at)
    where state in ('ACTIVE', 'FINISHED') and audience <> 'DEVICE';
-- Expiry sweeper.
create index notification_expiry on notification (expires_at) where state = 'ACTIVE';

-- Which member has which notification, from DELIVERED receipts.
create table notification_delivery (
    notification_id text not null references notification (id) on delete cascade,
    tenant_id       text not null,
    device_id       text not null,
    delivered_at    timestamptz not null,
    primary key (notification_id, device_id)
);
create index notification_delivery_by_device on notification_delivery (tenant_id, device_id, notification_id);
