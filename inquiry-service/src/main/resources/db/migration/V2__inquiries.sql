-- Inquiries (package io.outpost.inquiry): the tenants' handlers, and one row per inquiry a device opened. Answers are
-- mailbox messages of kind INQUIRY_RESPONSE whose stream key is the inquiry id.

create table inquiry_handler (
    tenant_id           text not null,
    name                text not null,
    kind                text not null check (kind in ('WEBHOOK', 'KAFKA')),
    url                 text,
    -- The HMAC-SHA256 key webhook calls are signed with; shown once, never read back over the API.
    secret              text,
    timeout_ms          bigint not null,
    default_lifetime_ms bigint not null,
    answer_ttl_ms       bigint not null,
    latest_only         boolean not null,
    updated_at          timestamptz not null,
    updated_by          text not null,
    primary key (tenant_id, name),
    check ((kind = 'WEBHOOK') = (url is not null and secret is not null))
);

create table inquiry (
    id              text primary key,
    tenant_id       text not null,
    device_id       text not null,
    name            text not null,
    -- The device's own id for it (a topic level); a second request with the same id is the same inquiry.
    request_id      text not null,
    continuing      boolean not null,
    content_type    text,
    payload         bytea not null,
    state           text not null check (state in ('OPEN', 'ANSWERED', 'STREAMING', 'ENDED', 'CANCELLED', 'EXPIRED',
                                                   'FAILED')),
    state_at        timestamptz not null,
    state_reason    text,
    opened_at       timestamptz not null,
    expires_at      timestamptz not null,
    -- The handler's kind when it was opened; null when there was none (it failed at once).
    handler_kind    text,
    answers         bigint not null default 0,
    last_answer_at  timestamptz,
    -- A webhook call not yet answered is due again at this time (a node that called it died); null once it answered.
    dispatch_due_at timestamptz,
    unique (tenant_id, device_id, request_id)
);
create index inquiry_by_tenant on inquiry (tenant_id, opened_at desc, id desc);
create index inquiry_by_device on inquiry (tenant_id, device_id, opened_at desc, id desc);
create index inquiry_live on inquiry (expires_at) where state in ('OPEN', 'STREAMING');
create index inquiry_dispatch on inquiry (dispatch_due_at) where dispatch_due_at is not null;
