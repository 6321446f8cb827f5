-- Equipment units for the equipment screen: one row per unit, with its latest rate card and
-- calibration. Amounts are whole sen; dates are ISO text (YYYY-MM-DD).
CREATE TABLE equipment_units (
    unit_id              TEXT NOT NULL,
    -- Unique by the API's check at registration; not by a constraint here, which would park
    -- the projector on a race instead of showing both units.
    serial               TEXT NOT NULL,
    class                TEXT NOT NULL,
    nominal_mass         TEXT NOT NULL,
    currency             TEXT NOT NULL,
    per_day_sen          BIGINT NOT NULL,
    per_week_sen         BIGINT NOT NULL,
    per_month_sen        BIGINT NOT NULL,
    rate_card_from       TEXT NOT NULL,
    certificate          TEXT,
    calibrated_on        TEXT,
    calibration_due_on   TEXT,
    retired_on           TEXT,
    retired_reason       TEXT,
    registered_on        TEXT NOT NULL,
    registered_position  BIGINT NOT NULL,
    updated_position     BIGINT NOT NULL,
    CONSTRAINT equipment_units_pkey PRIMARY KEY (unit_id)
);
CREATE INDEX equipment_units_by_serial ON equipment_units (serial);
CREATE INDEX equipment_units_newest ON equipment_units (registered_position);

-- Rentals for the list screen: one row per rental.
CREATE TABLE rental_list (
    rental_id            TEXT NOT NULL,
    customer_id          TEXT NOT NULL,
    -- open, closed, cancelled
    status               TEXT NOT NULL,
    currency             TEXT NOT NULL,
    start_on             TEXT NOT NULL,
    expected_return_on   TEXT NOT NULL,
    units                BIGINT NOT NULL,
    units_out            BIGINT NOT NULL DEFAULT 0,
    units_back           BIGINT NOT NULL DEFAULT 0,
    deposit_sen          BIGINT NOT NULL,
    -- Collected, less what was retained or refunded.
    deposit_held_sen     BIGINT NOT NULL DEFAULT 0,
    -- Late fees charged and not reversed.
    late_fees_sen        BIGINT NOT NULL DEFAULT 0,
    reserved_at          TEXT NOT NULL,
    reserved_position    BIGINT NOT NULL,
    updated_position     BIGINT NOT NULL,
    CONSTRAINT rental_list_pkey PRIMARY KEY (rental_id)
);
CREATE INDEX rental_list_newest ON rental_list (reserved_position);
CREATE INDEX rental_list_by_status ON rental_list (status, reserved_position);
CREATE INDEX rental_list_by_customer ON rental_list (customer_id, reserved_position);

-- Each unit of each rental: who holds it and when. A unit's custody timeline, its
-- availability for a range of days, and the overdue list all read this table.
CREATE TABLE rental_units (
    rental_id            TEXT NOT NULL,
    unit_id              TEXT NOT NULL,
    serial               TEXT NOT NULL,
    customer_id          TEXT NOT NULL,
    -- reserved, out, back, released (never taken, the rental closed), cancelled
    status               TEXT NOT NULL,
    start_on             TEXT NOT NULL,
    expected_return_on   TEXT NOT NULL,
    out_on               TEXT,
    collected_by         TEXT,
    delivery_order_id    TEXT,
    back_on              TEXT,
    condition            TEXT,
    condition_note       TEXT,
    damage_charge_sen    BIGINT,
    rental_charge_sen    BIGINT,
    -- The days the unit is promised to or held by this rental: from the start (or the
    -- earlier check-out) to the return (or, while not back, the expected return).
    held_from            TEXT NOT NULL,
    held_until           TEXT NOT NULL,
    reserved_position    BIGINT NOT NULL,
    updated_position     BIGINT NOT NULL,
    CONSTRAINT rental_units_pkey PRIMARY KEY (rental_id, unit_id)
);
CREATE INDEX rental_units_by_unit ON rental_units (unit_id, held_from);
CREATE INDEX rental_units_by_expected_return ON rental_units (expected_return_on);

-- Late fees, one row per (rental, unit, day) charged: the key the job is idempotent on.
CREATE TABLE rental_late_fees (
    rental_id            TEXT NOT NULL,
    unit_id              TEXT NOT NULL,
    day                  TEXT NOT NULL,
    days_late            BIGINT NOT NULL,
    amount_sen           BIGINT NOT NULL,
    policy_version       BIGINT NOT NULL,
    -- Set when a back-dated return or an extension took the fee back.
    reversed_position    BIGINT,
    -- The late-fee invoice that billed it.
    invoice_id           TEXT,
    charged_position     BIGINT NOT NULL,
    CONSTRAINT rental_late_fees_pkey PRIMARY KEY (rental_id, unit_id, day)
);
