-- Members that can never take a notification (larger than the Maximum Packet Size they announced): recorded like a
-- delivery, so catch-up does not send it to them again, and counted apart.
alter table notification add column undeliverable bigint not null default 0;
alter table notification_delivery add column undeliverable_reason text;
