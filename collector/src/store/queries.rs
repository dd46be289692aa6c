//! The queries, written once for both engines. SQLite accepts PostgreSQL's `$N` placeholders (and
//! sqlx binds them by number), integers are bound as `i64` and read back as `i64` or `bool` on both,
//! so one body serves both; the macro expands it for each engine's concrete pool type, which keeps
//! sqlx's generic bounds out of the code.

/// Implements the storage operations on an engine's store type (a struct with a `pool` field).
macro_rules! queries {
    ($store:ty, $connection:ty) => {
        impl $store {
        pub(super) async fn seed_if_empty(
            &self,
            site: &Site,
            sets: &[QuestionSet],
        ) -> Result<bool, StoreError> {
            let mut tx = self.pool.begin().await?;
            let now = now_ms();
            let inserted = sqlx::query(
                "INSERT INTO sites (key, name, allowed_origins, created_at, time_zone, retention_days,
                                    theme, respect_privacy_signals, etiquette)
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE NOT EXISTS (SELECT 1 FROM sites)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(&site.key)
            .bind(&site.name)
            .bind(to_json(&site.allowed_origins)?)
            .bind(now)
            .bind(&site.time_zone)
            .bind(site.retention_days)
            .bind(to_json(&site.theme)?)
            .bind(site.respect_privacy_signals)
            .bind(to_json(&site.etiquette)?)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Ok(false);
            }
            for set in sets {
                sqlx::query(
                    "INSERT INTO question_sets (site, stage, version, definition, status, created_at)
                     VALUES ($1, $2, $3, $4, 'published', $5)",
                )
                .bind(&site.key)
                .bind(set.stage.as_str())
                .bind(i64::from(set.version))
                .bind(to_json(set)?)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(true)
        }

        pub(super) async fn site(&self, key: &str) -> Result<Site, StoreError> {
            sqlx::query_as::<_, SiteRow>("SELECT key, name, allowed_origins, time_zone, retention_days, theme, respect_privacy_signals, etiquette
                 FROM sites WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound)?
                .into_site()
        }

        pub(super) async fn sites(&self) -> Result<Vec<Site>, StoreError> {
            sqlx::query_as::<_, SiteRow>("SELECT key, name, allowed_origins, time_zone, retention_days, theme, respect_privacy_signals, etiquette
                 FROM sites ORDER BY key")
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(SiteRow::into_site)
                .collect()
        }

        pub(super) async fn create_site(&self, site: &Site) -> Result<(), StoreError> {
            let inserted = sqlx::query(
                "INSERT INTO sites (key, name, allowed_origins, time_zone, retention_days, theme,
                                    created_at, respect_privacy_signals, etiquette)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(&site.key)
            .bind(&site.name)
            .bind(to_json(&site.allowed_origins)?)
            .bind(&site.time_zone)
            .bind(site.retention_days)
            .bind(to_json(&site.theme)?)
            .bind(now_ms())
            .bind(site.respect_privacy_signals)
            .bind(to_json(&site.etiquette)?)
            .execute(&self.pool)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Err(StoreError::SiteExists(site.key.clone()));
            }
            Ok(())
        }

        pub(super) async fn update_site(&self, site: &Site) -> Result<(), StoreError> {
            let updated = sqlx::query(
                "UPDATE sites SET name = $1, allowed_origins = $2, time_zone = $3, retention_days = $4,
                        theme = $6, respect_privacy_signals = $7, etiquette = $8
                 WHERE key = $5",
            )
                .bind(&site.name)
                .bind(to_json(&site.allowed_origins)?)
                .bind(&site.time_zone)
                .bind(site.retention_days)
                .bind(&site.key)
                .bind(to_json(&site.theme)?)
                .bind(site.respect_privacy_signals)
                .bind(to_json(&site.etiquette)?)
                .execute(&self.pool)
                .await?
                .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        }

        pub(super) async fn create_token(
            &self,
            name: &str,
            site: Option<&str>,
            token_hash: &str,
        ) -> Result<i64, StoreError> {
            let id = sqlx::query_scalar(
                "INSERT INTO admin_tokens (name, token_hash, site, created_at)
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(name)
            .bind(token_hash)
            .bind(site)
            .bind(now_ms())
            .fetch_one(&self.pool)
            .await?;
            Ok(id)
        }

        pub(super) async fn token(&self, token_hash: &str) -> Result<AdminToken, StoreError> {
            let (id, name, site) = sqlx::query_as::<_, (i64, String, Option<String>)>(
                "SELECT id, name, site FROM admin_tokens WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
            Ok(AdminToken {
                id,
                name,
                scope: site.map_or(TokenScope::AllSites, TokenScope::Site),
            })
        }

        pub(super) async fn published_question_sets(
            &self,
            site: &str,
        ) -> Result<Vec<QuestionSet>, StoreError> {
            let rows = sqlx::query(
                "SELECT definition FROM question_sets q
                 WHERE site = $1 AND status = 'published' AND version = (
                     SELECT MAX(version) FROM question_sets
                     WHERE site = q.site AND stage = q.stage AND status = 'published')
                 ORDER BY stage",
            )
            .bind(site)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|row| from_json(&row.try_get::<String, _>("definition")?))
                .collect()
        }

        pub(super) async fn question_set(
            &self,
            site: &str,
            stage: Stage,
            version: u32,
        ) -> Result<StoredQuestionSet, StoreError> {
            sqlx::query_as::<_, QuestionSetRow>(
                "SELECT id, definition, status, created_at FROM question_sets
                 WHERE site = $1 AND stage = $2 AND version = $3",
            )
            .bind(site)
            .bind(stage.as_str())
            .bind(i64::from(version))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?
            .into_stored()
        }

        pub(super) async fn question_set_versions(
            &self,
            site: &str,
        ) -> Result<Vec<StoredQuestionSet>, StoreError> {
            sqlx::query_as::<_, QuestionSetRow>(
                "SELECT id, definition, status, created_at FROM question_sets
                 WHERE site = $1 ORDER BY stage, version",
            )
            .bind(site)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(QuestionSetRow::into_stored)
            .collect()
        }

        pub(super) async fn create_question_set_version(
            &self,
            site: &str,
            stage: Stage,
            questions: Vec<survey::Question>,
        ) -> Result<StoredQuestionSet, StoreError> {
            self.site(site).await?;
            let mut set = QuestionSet {
                stage,
                version: 0,
                questions,
            };
            // The next version number is read, then claimed by the insert; a concurrent editor
            // claiming the same number loses on the unique key and tries the next one.
            for _ in 0..5 {
                let latest: Option<i64> = sqlx::query_scalar(
                    "SELECT MAX(version) FROM question_sets WHERE site = $1 AND stage = $2",
                )
                .bind(site)
                .bind(stage.as_str())
                .fetch_one(&self.pool)
                .await?;
                set.version = version(latest.unwrap_or(0) + 1)?;
                let created_at = now_ms();
                let inserted = sqlx::query_scalar::<_, i64>(
                    "INSERT INTO question_sets (site, stage, version, definition, status, created_at)
                     VALUES ($1, $2, $3, $4, 'draft', $5) RETURNING id",
                )
                .bind(site)
                .bind(stage.as_str())
                .bind(i64::from(set.version))
                .bind(to_json(&set)?)
                .bind(created_at)
                .fetch_one(&self.pool)
                .await;
                match inserted {
                    Ok(id) => {
                        return Ok(StoredQuestionSet {
                            id,
                            set,
                            status: QuestionSetStatus::Draft,
                            created_at_ms: created_at,
                        });
                    }
                    Err(e) if is_unique_violation(&e) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
            Err(StoreError::Corrupt(
                "could not claim a question set version after 5 tries".into(),
            ))
        }

        pub(super) async fn set_question_set_status(
            &self,
            site: &str,
            stage: Stage,
            version: u32,
            status: QuestionSetStatus,
        ) -> Result<(), StoreError> {
            let mut tx = self.pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE question_sets SET status = $1 WHERE site = $2 AND stage = $3 AND version = $4",
            )
            .bind(status.as_str())
            .bind(site)
            .bind(stage.as_str())
            .bind(i64::from(version))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            if status == QuestionSetStatus::Published {
                // One published version per stage: the one shoppers see.
                sqlx::query(
                    "UPDATE question_sets SET status = 'archived'
                     WHERE site = $1 AND stage = $2 AND status = 'published' AND version <> $3",
                )
                .bind(site)
                .bind(stage.as_str())
                .bind(i64::from(version))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        pub(super) async fn order_answered(
            &self,
            site: &str,
            stage: Stage,
            order: &str,
        ) -> Result<bool, StoreError> {
            let mut conn = self.pool.acquire().await?;
            // Stored ids are never empty (validation), so "" excepts none.
            let found = Self::other_answer_for_order(&mut conn, site, stage, order, "").await?;
            Ok(found.is_some())
        }

        /// The id of a response other than `except` that answers `order` at `stage`, if any.
        async fn other_answer_for_order(
            conn: &mut $connection,
            site: &str,
            stage: Stage,
            order: &str,
            except: &str,
        ) -> Result<Option<String>, StoreError> {
            Ok(sqlx::query_scalar(
                "SELECT id FROM responses
                 WHERE site = $1 AND order_ref = $2 AND stage = $3 AND id <> $4 LIMIT 1",
            )
            .bind(site)
            .bind(order)
            .bind(stage.as_str())
            .bind(except)
            .fetch_optional(conn)
            .await?)
        }

        pub(super) async fn response(
            &self,
            site: &str,
            id: &str,
        ) -> Result<StoredResponse, StoreError> {
            let mut row: ResponseRow = sqlx::query_as(
                "SELECT id, site, stage, question_set_id, question_set_version, locale, context,
                        completed, received_at, updated_at
                 FROM responses WHERE site = $1 AND id = $2",
            )
            .bind(site)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
            row.answers = sqlx::query_as(
                "SELECT question, value FROM answers WHERE response_id = $1 ORDER BY question",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            row.into_stored()
        }

        /// Stores a response in a transaction of its own.
        #[allow(dead_code, reason = "SQLite saves through its batching writer instead")]
        pub(super) async fn save_response_alone(
            &self,
            question_set: &StoredQuestionSet,
            response: &Response,
            device: Option<&str>,
            deliveries: super::DeliveryTrigger,
        ) -> Result<SaveOutcome, StoreError> {
            let mut tx = self.pool.begin().await?;
            let outcome =
                Self::save_response_in(&mut tx, question_set, response, device, deliveries).await?;
            tx.commit().await?;
            Ok(outcome)
        }

        /// Stores (or merges) a response within the caller's transaction, and queues its webhook
        /// deliveries in the same transaction, so a stored response never misses its webhooks.
        pub(super) async fn save_response_in(
            tx: &mut $connection,
            question_set: &StoredQuestionSet,
            response: &Response,
            device: Option<&str>,
            deliveries: super::DeliveryTrigger,
        ) -> Result<SaveOutcome, StoreError> {
            let question_set_id = question_set.id;
            let now = now_ms();
            // One answer per order and stage, whichever browser or device it comes from.
            if let Some(order) = response.context.get("order") {
                Self::lock_order(&mut *tx, &response.site, response.stage, order).await?;
                let other = Self::other_answer_for_order(
                    &mut *tx,
                    &response.site,
                    response.stage,
                    order,
                    &response.id,
                )
                .await?;
                if other.is_some() {
                    return Err(StoreError::OrderAlreadyAnswered {
                        stage: response.stage,
                        order: order.clone(),
                    });
                }
            }
            // Insert first: a concurrent first send of the same id waits on this row, then conflicts.
            let created = sqlx::query(
                "INSERT INTO responses (id, site, stage, question_set_id, question_set_version, locale,
                                        order_ref, context, completed, received_at, updated_at,
                                        device, customer_ref)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(&response.id)
            .bind(&response.site)
            .bind(response.stage.as_str())
            .bind(question_set_id)
            .bind(i64::from(response.question_set_version))
            .bind(&response.locale)
            .bind(response.context.get("order"))
            .bind(to_json(&response.context)?)
            .bind(response.completed)
            .bind(now)
            .bind(now)
            .bind(device)
            .bind(response.context.get("customer"))
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !created {
                let row =
                    sqlx::query("SELECT site, stage, question_set_id FROM responses WHERE id = $1")
                        .bind(&response.id)
                        .fetch_one(&mut *tx)
                        .await?;
                let same = row.try_get::<String, _>("site")? == response.site
                    && row.try_get::<String, _>("stage")? == response.stage.as_str()
                    && row.try_get::<i64, _>("question_set_id")? == question_set_id;
                if !same {
                    return Err(StoreError::ResponseIdConflict(response.id.clone()));
                }
                sqlx::query(
                    "UPDATE responses SET completed = completed OR $1, updated_at = $2,
                            locale = COALESCE($3, locale)
                     WHERE id = $4",
                )
                .bind(response.completed)
                .bind(now)
                .bind(&response.locale)
                .bind(&response.id)
                .execute(&mut *tx)
                .await?;
            }
            for answer in &response.answers {
                let (score, text) = answer_columns(&answer.value);
                sqlx::query(
                    "INSERT INTO answers (response_id, question, kind, score, text, value)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (response_id, question) DO UPDATE SET
                         kind = excluded.kind, score = excluded.score,
                         text = excluded.text, value = excluded.value",
                )
                .bind(&response.id)
                .bind(&answer.question)
                .bind(
                    question_set
                        .set
                        .question(&answer.question)
                        .map_or("unknown", |q| q.kind.name()),
                )
                .bind(score)
                .bind(text)
                .bind(to_json(&answer.value)?)
                .execute(&mut *tx)
                .await?;
            }
            // One delivery per webhook that wants this response, however many sends it takes.
            sqlx::query(
                "INSERT INTO webhook_deliveries (webhook_id, response_id, status, attempts,
                                                 next_attempt_at, created_at)
                 SELECT id, $2, 'pending', 0, $3, $4 FROM webhooks
                 WHERE site = $1 AND (event = 'response' OR (event = 'low_score' AND $5))
                 ON CONFLICT (webhook_id, response_id) DO NOTHING",
            )
            .bind(&response.site)
            .bind(&response.id)
            .bind(deliveries.due_at)
            .bind(now)
            .bind(deliveries.low_score)
            .execute(&mut *tx)
            .await?;
            Ok(if created {
                SaveOutcome::Created
            } else {
                SaveOutcome::Merged
            })
        }

        pub(super) async fn score_counts(
            &self,
            site: &str,
            from_ms: i64,
            to_ms: i64,
        ) -> Result<Vec<super::ScoreCount>, StoreError> {
            Ok(sqlx::query_as::<_, super::ScoreCount>(
                "SELECT r.stage, a.question, a.kind, r.question_set_version AS version,
                        COALESCE(r.locale, '') AS locale, COALESCE(r.device, '') AS device,
                        r.received_at / 900000 AS quarter_hour, a.score, COUNT(*) AS count
                 FROM answers a JOIN responses r ON r.id = a.response_id
                 WHERE r.site = $1 AND r.received_at >= $2 AND r.received_at < $3
                   AND a.score IS NOT NULL
                 GROUP BY r.stage, a.question, a.kind, r.question_set_version,
                          COALESCE(r.locale, ''), COALESCE(r.device, ''),
                          r.received_at / 900000, a.score",
            )
            .bind(site)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await?)
        }

        pub(super) async fn comments(
            &self,
            site: &str,
            query: &super::CommentQuery,
        ) -> Result<Vec<super::Comment>, StoreError> {
            // Optional filters are `($n IS NULL OR ...)`, so one statement serves every combination.
            let pattern = query.search.as_deref().map(|s| {
                let escaped = s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                format!("%{}%", escaped.to_lowercase())
            });
            let (after_ms, after_id) = query.after.clone().unzip();
            let rows = sqlx::query_as::<_, (String, String, i64, Option<String>, Option<String>, String, String)>(
                "SELECT r.id, r.stage, r.received_at, r.locale, r.order_ref, a.question, a.text
                 FROM answers a JOIN responses r ON r.id = a.response_id
                 WHERE r.site = $1 AND a.kind = 'text' AND a.text IS NOT NULL
                   AND r.received_at >= $2 AND r.received_at < $3
                   AND ($4 IS NULL OR r.stage = $4)
                   AND ($5 IS NULL OR LOWER(a.text) LIKE $5 ESCAPE '\\')
                   AND ($6 IS NULL OR EXISTS (
                       SELECT 1 FROM answers s WHERE s.response_id = r.id AND s.question = $6
                         AND s.score BETWEEN $7 AND $8))
                   AND ($9 IS NULL OR r.received_at < $9 OR (r.received_at = $9 AND r.id < $10))
                 ORDER BY r.received_at DESC, r.id DESC, a.question
                 LIMIT $11",
            )
            .bind(site)
            .bind(query.from_ms)
            .bind(query.to_ms)
            .bind(query.stage.map(|s| s.as_str()))
            .bind(pattern)
            .bind(query.score_question.as_deref())
            .bind(query.min_score)
            .bind(query.max_score)
            .bind(after_ms)
            .bind(after_id)
            .bind(query.limit)
            .fetch_all(&self.pool)
            .await?;
            // Every listed response's scores in one query, not one per comment.
            let mut scores: std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>> =
                std::collections::BTreeMap::new();
            let ids: std::collections::BTreeSet<&str> =
                rows.iter().map(|row| row.0.as_str()).collect();
            if !ids.is_empty() {
                let mut query = sqlx::QueryBuilder::new(
                    "SELECT response_id, question, score FROM answers
                     WHERE score IS NOT NULL AND response_id IN (",
                );
                let mut list = query.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                list.push_unseparated(")");
                let found: Vec<(String, String, i64)> =
                    query.build_query_as().fetch_all(&self.pool).await?;
                for (response_id, question, score) in found {
                    scores.entry(response_id).or_default().insert(question, score);
                }
            }
            let mut comments = Vec::with_capacity(rows.len());
            for (response_id, stage, received_at_ms, locale, order, question, text) in rows {
                let scores = scores.get(&response_id).cloned().unwrap_or_default();
                comments.push(super::Comment {
                    response_id,
                    stage,
                    received_at_ms,
                    locale,
                    order,
                    question,
                    text,
                    scores,
                });
            }
            Ok(comments)
        }

        pub(super) fn export_rows<'a>(
            &'a self,
            site: &'a str,
            query: &'a super::ExportQuery,
        ) -> futures_util::stream::BoxStream<'a, Result<super::ExportRow, StoreError>> {
            use futures_util::StreamExt;
            sqlx::query_as::<_, super::ExportRow>(
                "SELECT r.id AS response_id, r.stage, r.question_set_version, r.received_at,
                        r.locale, r.device, r.order_ref, r.context, r.completed,
                        a.question, a.kind, a.score, a.value
                 FROM responses r JOIN answers a ON a.response_id = r.id
                 WHERE r.site = $1 AND r.received_at >= $2 AND r.received_at < $3
                   AND ($4 IS NULL OR r.stage = $4)
                 ORDER BY r.received_at, r.id, a.question",
            )
            .bind(site)
            .bind(query.from_ms)
            .bind(query.to_ms)
            .bind(query.stage.map(|s| s.as_str()))
            .fetch(&self.pool)
            .map(|row| row.map_err(StoreError::from))
            .boxed()
        }

        pub(super) async fn delete_expired(&self, now: i64) -> Result<u64, StoreError> {
            // Answers go with their response (ON DELETE CASCADE).
            Ok(sqlx::query(
                "DELETE FROM responses WHERE id IN (
                     SELECT r.id FROM responses r JOIN sites s ON s.key = r.site
                     WHERE s.retention_days IS NOT NULL
                       AND r.received_at < $1 - s.retention_days * 86400000)",
            )
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected())
        }

        pub(super) async fn erase(
            &self,
            site: &str,
            order: Option<&str>,
            customer: Option<&str>,
        ) -> Result<u64, StoreError> {
            Ok(sqlx::query(
                "DELETE FROM responses
                 WHERE site = $1 AND ((order_ref IS NOT NULL AND order_ref = $2)
                                   OR (customer_ref IS NOT NULL AND customer_ref = $3))",
            )
            .bind(site)
            .bind(order)
            .bind(customer)
            .execute(&self.pool)
            .await?
            .rows_affected())
        }

        pub(super) async fn ping(&self) -> Result<(), StoreError> {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        }

        pub(super) async fn create_webhook(
            &self,
            webhook: &super::Webhook,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO webhooks (site, url, event, format, secret, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&webhook.site)
            .bind(&webhook.url)
            .bind(&webhook.event)
            .bind(&webhook.format)
            .bind(&webhook.secret)
            .bind(webhook.created_at)
            .fetch_one(&self.pool)
            .await?)
        }

        pub(super) async fn webhooks(&self, site: &str) -> Result<Vec<super::Webhook>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT id, site, url, event, format, secret, created_at FROM webhooks
                 WHERE site = $1 ORDER BY id",
            )
            .bind(site)
            .fetch_all(&self.pool)
            .await?)
        }

        pub(super) async fn delete_webhook(&self, site: &str, id: i64) -> Result<(), StoreError> {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "DELETE FROM webhook_deliveries WHERE webhook_id IN (
                     SELECT id FROM webhooks WHERE site = $1 AND id = $2)",
            )
            .bind(site)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let deleted = sqlx::query("DELETE FROM webhooks WHERE site = $1 AND id = $2")
                .bind(site)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if deleted == 0 {
                return Err(StoreError::NotFound);
            }
            tx.commit().await?;
            Ok(())
        }

        pub(super) async fn deliveries(
            &self,
            site: &str,
            webhook_id: i64,
            limit: i64,
        ) -> Result<Vec<super::Delivery>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT d.id, d.webhook_id, d.response_id, d.status, d.attempts, d.next_attempt_at,
                        d.last_status, d.last_error, d.created_at, d.delivered_at
                 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                 WHERE w.site = $1 AND w.id = $2
                 ORDER BY d.id DESC LIMIT $3",
            )
            .bind(site)
            .bind(webhook_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
        }

        pub(super) async fn claim_due_deliveries(
            &self,
            now: i64,
            lease_until: i64,
            limit: i64,
        ) -> Result<Vec<(super::Delivery, super::Webhook)>, StoreError> {
            let due: Vec<super::Delivery> = sqlx::query_as(
                "SELECT id, webhook_id, response_id, status, attempts, next_attempt_at,
                        last_status, last_error, created_at, delivered_at
                 FROM webhook_deliveries
                 WHERE status = 'pending' AND next_attempt_at <= $1
                 ORDER BY next_attempt_at LIMIT $2",
            )
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            let mut claimed = Vec::new();
            for delivery in due {
                // Compare-and-set on the due time: of several collectors, one wins each delivery.
                let won = sqlx::query(
                    "UPDATE webhook_deliveries SET next_attempt_at = $1
                     WHERE id = $2 AND status = 'pending' AND next_attempt_at = $3",
                )
                .bind(lease_until)
                .bind(delivery.id)
                .bind(delivery.next_attempt_at)
                .execute(&self.pool)
                .await?
                .rows_affected()
                    == 1;
                if !won {
                    continue;
                }
                let webhook: Option<super::Webhook> = sqlx::query_as(
                    "SELECT id, site, url, event, format, secret, created_at FROM webhooks
                     WHERE id = $1",
                )
                .bind(delivery.webhook_id)
                .fetch_optional(&self.pool)
                .await?;
                if let Some(webhook) = webhook {
                    claimed.push((delivery, webhook));
                }
            }
            Ok(claimed)
        }

        pub(super) async fn record_attempt(
            &self,
            delivery_id: i64,
            outcome: &super::AttemptOutcome,
        ) -> Result<(), StoreError> {
            let now = now_ms();
            let (status, last_status, last_error, next, delivered_at) = match outcome {
                super::AttemptOutcome::Delivered { status } => {
                    ("delivered", Some(*status), None, now, Some(now))
                }
                super::AttemptOutcome::Failed { status, error, retry_at } => match retry_at {
                    Some(at) => ("pending", *status, Some(error.as_str()), *at, None),
                    None => ("failed", *status, Some(error.as_str()), now, None),
                },
            };
            sqlx::query(
                "UPDATE webhook_deliveries
                 SET status = $1, attempts = attempts + 1, last_status = $2, last_error = $3,
                     next_attempt_at = $4, delivered_at = $5
                 WHERE id = $6",
            )
            .bind(status)
            .bind(last_status)
            .bind(last_error)
            .bind(next)
            .bind(delivered_at)
            .bind(delivery_id)
            .execute(&self.pool)
            .await?;
            Ok(())
        }
        }
    };
}

pub(super) use queries;
