-- Every reading, partitioned by day on the time the bridge received it (ce_time), so retention drops whole
-- partitions and a query for a time range touches only its days. Partitions are created by the service
-- (TelemetryPartitions) for the days it stores.
create table telemetry (
    tenant_id       text        not null,
    device_id       text        not null,
    stream          text        not null,  -- '' for devices/{d}/telemetry, else the level after telemetry/
    received_at     timestamptz not null,
    kafka_partition integer     not null,
    kafka_offset    bigint      not null,
    message_id      text        not null,
    content_type    text,
    payload_json    jsonb,                 -- JSON payloads, queryable
    payload_bytes   bytea,                 -- anything else, as the device sent it
    -- A record read again after a crash or rebalance has the same partition, offset and time: stored once.
    primary key (received_at, kafka_partition, kafka_offset)
) partition by range (received_at);

-- One device's history in time order; per partition, so each stays small enough to live in memory for today's.
create index telemetry_device_time on telemetry (tenant_id, device_id, received_at);

-- The current state: the newest reading per device and stream.
create table telemetry_latest (
    tenant_id     text        not null,
    device_id     text        not null,
    stream        text        not null,
    received_at   timestamptz not null,
    message_id    text        not null,
    content_type  text,
    payload_json  jsonb,
    payload_bytes bytea,
    primary key (tenant_id, device_id, stream)
);
