//! The page query of the document lists (quotations, invoices): rows newest first by the
//! position of the event that created them, filtered by equality on optional columns, with
//! that position as the keyset cursor.

use niaga_store::{Database, on_reader};
use sqlx::{FromRow, postgres::PgRow, sqlite::SqliteRow};

use crate::ProjectionError;

/// Pages hold 1 to this many rows.
pub const MAX_PAGE: u32 = 200;

/// One list's page query: `select` (everything up to `WHERE`), the creation position column
/// the list is ordered by, and the filter columns with the values asked for.
pub(crate) struct NewestFirst<'a> {
    pub select: &'a str,
    pub position: &'a str,
    pub filters: Vec<(&'a str, Option<String>)>,
}

/// A page and the position the next one continues below.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<i64>,
}

impl NewestFirst<'_> {
    /// The statement for the filters given, made of fixed parts only: each filter adds its
    /// own condition (never `$n IS NULL OR …`, which keeps a generic plan off the indexes),
    /// so the index on (filter column, position) serves it, read backwards.
    pub(crate) fn sql(&self) -> String {
        let mut conditions = vec![format!("{} < $1", self.position)];
        for (column, _) in self.filters.iter().filter(|(_, value)| value.is_some()) {
            conditions.push(format!("{column} = ${}", conditions.len() + 1));
        }
        format!(
            "{} WHERE {} ORDER BY {} DESC LIMIT ${}",
            self.select,
            conditions.join(" AND "),
            self.position,
            conditions.len() + 1
        )
    }

    /// The page below `before` (from the newest when `None`) of at most `limit` rows;
    /// `position_of` reads a row's position for the next cursor.
    pub(crate) async fn page<T>(
        &self,
        db: &Database,
        before: Option<i64>,
        limit: u32,
        position_of: impl Fn(&T) -> i64,
    ) -> Result<Page<T>, ProjectionError>
    where
        T: for<'r> FromRow<'r, PgRow> + for<'r> FromRow<'r, SqliteRow> + Send + Unpin,
    {
        let limit = i64::from(limit.clamp(1, MAX_PAGE));
        let sql = self.sql();
        let values = self
            .filters
            .iter()
            .filter_map(|(_, value)| value.as_deref());
        let mut items: Vec<T> = on_reader!(db, pool => {
            // Bound in the order `sql` numbered them.
            let mut query = sqlx::query_as(&sql).bind(before.unwrap_or(i64::MAX));
            for value in values {
                query = query.bind(value);
            }
            query.bind(limit + 1).fetch_all(pool).await
        })?;
        let next = if items.len() as i64 > limit {
            items.truncate(usize::try_from(limit).unwrap_or(0));
            items.last().map(position_of)
        } else {
            None
        };
        Ok(Page { items, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(status: Option<&str>, customer: Option<&str>) -> String {
        NewestFirst {
            select: "SELECT * FROM t",
            position: "p",
            filters: vec![
                ("status", status.map(str::to_owned)),
                ("customer_id", customer.map(str::to_owned)),
            ],
        }
        .sql()
    }

    #[test]
    fn each_filter_given_adds_its_own_condition() {
        assert_eq!(
            list(None, None),
            "SELECT * FROM t WHERE p < $1 ORDER BY p DESC LIMIT $2"
        );
        assert_eq!(
            list(Some("sent"), None),
            "SELECT * FROM t WHERE p < $1 AND status = $2 ORDER BY p DESC LIMIT $3"
        );
        assert_eq!(
            list(None, Some("c")),
            "SELECT * FROM t WHERE p < $1 AND customer_id = $2 ORDER BY p DESC LIMIT $3"
        );
        assert_eq!(
            list(Some("sent"), Some("c")),
            "SELECT * FROM t WHERE p < $1 AND status = $2 AND customer_id = $3 \
             ORDER BY p DESC LIMIT $4"
        );
    }
}
