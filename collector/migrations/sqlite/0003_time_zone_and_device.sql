-- Reports count days, weeks and months in the site's own time zone (an IANA name).
ALTER TABLE sites ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
-- Device class from the User-Agent at ingestion ('mobile', 'tablet', 'desktop'), for breakdowns;
-- the User-Agent itself is not kept.
ALTER TABLE responses ADD COLUMN device TEXT;
