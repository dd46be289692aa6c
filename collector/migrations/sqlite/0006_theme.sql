-- How the survey looks on the site (survey::Theme as JSON; '{}' is the default theme).
ALTER TABLE sites ADD COLUMN theme TEXT NOT NULL DEFAULT '{}';
