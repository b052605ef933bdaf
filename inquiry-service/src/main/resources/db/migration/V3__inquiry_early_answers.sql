-- Answers of Kafka handlers that came before the service stored their inquiry (backends read the device's request
-- from the same topic the service does, and may be quicker). They wait here, in arrival order, until the inquiry is
-- opened, and are deleted after a while if it never is.
create table inquiry_early_answer (
    seq          bigserial primary key,
    tenant_id    text not null,
    device_id    text not null,
    request_id   text not null,
    answer_type  text not null check (answer_type in ('ANSWER', 'LAST', 'ERROR')),
    content_type text not null,
    payload      bytea not null,
    ttl_ms       bigint,
    latest_only  boolean,
    received_at  timestamptz not null
);
create index inquiry_early_answer_by_request on inquiry_early_answer (tenant_id, device_id, request_id, seq);
create index inquiry_early_answer_by_age on inquiry_early_answer (received_at);
