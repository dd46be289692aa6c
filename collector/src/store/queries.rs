//! The queries, written once for both engines. SQLite accepts PostgreSQL's `$N` placeholders (and
//! sqlx binds them by number), integers are bound as `i64` and read back as `i64` or `bool` on both,
//! so one body serves both; the macro expands it for each engine's concrete pool type, which keeps
//! sqlx's generic bounds out of the code.

/// Implements the storage operations on an engine's store type (a struct with a `pool` field).
macro_rules! queries {
    ($store:ty) => {
        impl $store {
        pub(super) async fn seed_if_empty(
            &self,
            site: &Site,
            sets: &[QuestionSet],
        ) -> Result<bool, StoreError> {
            let mut tx = self.pool.begin().await?;
            let now = now_ms();
            let inserted = sqlx::query(
                "INSERT INTO sites (key, name, allowed_origins, created_at)
                 SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM sites)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(&site.key)
            .bind(&site.name)
            .bind(to_json(&site.allowed_origins)?)
            .bind(now)
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
            let row = sqlx::query("SELECT key, name, allowed_origins FROM sites WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok(Site {
                key: row.try_get("key")?,
                name: row.try_get("name")?,
                allowed_origins: from_json(&row.try_get::<String, _>("allowed_origins")?)?,
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
            let row = sqlx::query(
                "SELECT id, definition FROM question_sets WHERE site = $1 AND stage = $2 AND version = $3",
            )
            .bind(site)
            .bind(stage.as_str())
            .bind(i64::from(version))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
            Ok(StoredQuestionSet {
                id: row.try_get("id")?,
                set: from_json(&row.try_get::<String, _>("definition")?)?,
            })
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

        pub(super) async fn save_response(
            &self,
            question_set: &StoredQuestionSet,
            response: &Response,
        ) -> Result<SaveOutcome, StoreError> {
            let question_set_id = question_set.id;
            let now = now_ms();
            let mut tx = self.pool.begin().await?;
            // Insert first: a concurrent first send of the same id waits on this row, then conflicts.
            let created = sqlx::query(
                "INSERT INTO responses (id, site, stage, question_set_id, question_set_version, locale,
                                        order_ref, context, completed, received_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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
            tx.commit().await?;
            Ok(if created {
                SaveOutcome::Created
            } else {
                SaveOutcome::Merged
            })
        }
        }
    };
}

pub(super) use queries;
