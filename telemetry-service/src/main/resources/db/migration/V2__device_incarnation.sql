-- The incarnation of the device that sent a reading (ce_deviceincarnation: the registry's createdAt of the device
-- when it connected). A device deleted and created again with the same id is shown only its own readings; null for
-- readings stored before the bridge said (shown to any incarnation).
alter table telemetry add column device_incarnation timestamptz;
alter table telemetry_latest add column device_incarnation timestamptz;
