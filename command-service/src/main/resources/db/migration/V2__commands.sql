-- Commands (package io.outpost.command): one row per command, its state machine and the device's result. The
-- request's payload, topic and expiry live in its mailbox message (same id); deleting that message deletes the command.

create table command (
    id                  text primary key references mailbox_message (id) on delete cascade,
    tenant_id           text not null,
    device_id           text not null,
    name                text not null,
    state               text not null check (state in
                            ('PENDING', 'DELIVERED', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'TIMED_OUT', 'CANCELLED')),
    created_at          timestamptz not null,
    expires_at          timestamptz not null,
    reply_timeout_ms    bigint not null,
    delivered_at        timestamptz,
    reply_deadline      timestamptz,
    finished_at         timestamptz,
    result_status       text,
    result_content_type text,
    result_payload      bytea,
    result_at           timestamptz,
    -- Idempotency-Key of the POST that created it, scoped to the device, and a hash of that request.
    idempotency_key     text,
    request_hash        text,
    -- Transitions so far; the n-th event's id is {id}-{n}.
    transitions         integer not null
);
create unique index command_idempotency on command (tenant_id, device_id, idempotency_key)
    where idempotency_key is not null;
-- Lists: newest first, per tenant, per device, per tenant and state.
create index command_by_tenant on command (tenant_id, created_at desc, id desc);
create index command_by_device on command (tenant_id, device_id, created_at desc, id desc);
create index command_by_state on command (tenant_id, state, created_at desc, id desc);
-- Reply-deadline sweeper and retention.
create index command_awaiting_reply on command (reply_deadline) where state = 'DELIVERED';
create index command_finished on command (finished_at) where finished_at is not null;

create table command_transition (
    command_id  text not null references command (id) on delete cascade,
    n           integer not null,
    from_state  text,
    to_state    text not null,
    at          timestamptz not null,
    reason      text,
    primary key (command_id, n)
);
