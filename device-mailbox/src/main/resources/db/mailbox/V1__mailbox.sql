-- The device mailbox (package io.outpost.command.mailbox): messages for devices and the transactional outbox that
-- publishes them. Nothing here knows about commands, so it can move into a library with the mailbox code.

create table mailbox_message (
    id            text primary key,
    -- Creation order: pending messages are re-published in this order.
    seq           bigint generated always as identity,
    tenant_id     text not null,
    device_id     text not null,
    kind          text not null,
    -- Below devices/{device}/, e.g. commands/request/{id}/{name}.
    mqtt_topic    text not null,
    content_type  text,
    payload       bytea not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    state         text not null check (state in ('PENDING', 'DELIVERED', 'EXPIRED', 'CANCELLED')),
    state_at      timestamptz not null,
    -- The device session it was last re-published for: a SUBSCRIBED of that session does not send it again.
    last_session  text
);
create unique index mailbox_message_seq on mailbox_message (seq);
-- Bound check and re-publish: one device's pending messages in creation order.
create index mailbox_message_pending on mailbox_message (tenant_id, device_id, seq) where state = 'PENDING';
-- Expiry sweeper.
create index mailbox_message_expiry on mailbox_message (expires_at) where state = 'PENDING';
-- Depth gauge per tenant.
create index mailbox_message_pending_tenant on mailbox_message (tenant_id) where state = 'PENDING';

-- Records to publish, in seq order, written in the transaction that caused them. A row with message_id publishes that
-- mailbox message to outpost.outbound.v1 (built from the message row, and only while it is pending and unexpired);
-- any other row is a ready record (topic, key, headers, value), e.g. a command event.
create table mailbox_outbox (
    seq         bigint generated always as identity primary key,
    message_id  text references mailbox_message (id) on delete cascade,
    topic       text,
    record_key  text,
    headers     jsonb,
    payload     bytea,
    created_at  timestamptz not null,
    check (message_id is not null or (topic is not null and record_key is not null))
);
create index mailbox_outbox_message on mailbox_outbox (message_id);
