-- Answers older than this many days are deleted by the retention task; NULL keeps them.
ALTER TABLE sites ADD COLUMN retention_days BIGINT;
-- The store's customer reference (context "customer"), so erase-on-request finds every answer of a
-- customer without parsing JSON.
ALTER TABLE responses ADD COLUMN customer_ref TEXT;
CREATE INDEX responses_by_customer ON responses (site, customer_ref) WHERE customer_ref IS NOT NULL;
