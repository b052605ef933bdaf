-- The device's current MQTT session as this owner last learned it from outpost.device-sessions.v1. A message stored
-- while the device is online in a session whose re-publish has run goes out at once, marked with that session; one
-- stored while the device is offline (or its session is not yet known here) waits for the session's re-publish, so a
-- send that races a connect reaches the device once and in creation order.
create table mailbox_session (
    tenant_id   text not null,
    device_id   text not null,
    session_id  text not null,
    -- When the bridge node saw the session start: a late event of an older session never replaces a newer one.
    started_at  timestamptz not null,
    online      boolean not null,
    primary key (tenant_id, device_id)
);

-- Streams: a newer pending message with the same stream key replaces the older one (CANCELLED "replaced"), so an
-- offline device's mailbox holds only the latest answer of a continuing stream.
alter table mailbox_message add column stream_key text;
create index mailbox_message_stream on mailbox_message (tenant_id, device_id, stream_key)
    where state = 'PENDING' and stream_key is not null;
