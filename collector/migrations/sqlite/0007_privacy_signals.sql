-- Whether the widget stays silent for shoppers whose browser sends Global Privacy Control or Do
-- Not Track (off unless the site asks for it).
ALTER TABLE sites ADD COLUMN respect_privacy_signals INTEGER NOT NULL DEFAULT 0;
