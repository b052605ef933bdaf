-- The incarnation of the device a message is for (the registry's createdAt of that device when the message was
-- stored): a bridge never sends it to a device created again with the same id. Null when the owner's registry view
-- did not know the device.
alter table mailbox_message add column device_incarnation timestamptz;
