-- Per partition of outpost.telemetry.v1, the offset after the newest record stored, written in the same transaction as
-- the readings (IngestPositions): a batch read again after a crash or a rebalance is recognised by its offsets, so no
-- reading needs a unique index of its own and every insert maintains one index less.
create table telemetry_ingest_positions (
    kafka_partition integer primary key,
    next_offset     bigint  not null
);

insert into telemetry_ingest_positions (kafka_partition, next_offset)
select kafka_partition, max(kafka_offset) + 1 from telemetry where kafka_partition >= 0 group by kafka_partition;

alter table telemetry drop constraint telemetry_pkey;
