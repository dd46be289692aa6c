-- When and how often the site's shoppers are asked: browsing triggers, sampling per stage and
-- recontact limits (survey::Etiquette as JSON; '{}' is the default etiquette).
ALTER TABLE sites ADD COLUMN etiquette TEXT NOT NULL DEFAULT '{}';
