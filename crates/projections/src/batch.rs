//! Folding a batch of events in memory: a read model that keeps one row per document reads
//! every row the batch touches in one statement, folds the events into them, and writes each
//! changed row once, in a few multi-row statements. A rebuild's time goes into statements,
//! not into the folding, so this is what makes it fast (docs/performance.md).

use std::collections::{HashMap, HashSet};

use sqlx::{
    Database as Backend, Encode, FromRow, QueryBuilder, Type, postgres::PgRow, sqlite::SqliteRow,
};

use niaga_domain::DomainEvent;
use niaga_store::RecordedEvent;

use crate::{ProjectionError, ReadTx, on_tx};

/// Bind parameters per statement: within SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_BINDS: usize = 30_000;

/// One value of a row to write, bound the same way on both databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cell<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(text: &'a str) -> Self {
        Self::Text(Some(text))
    }
}

impl<'a> From<&'a String> for Cell<'a> {
    fn from(text: &'a String) -> Self {
        Self::Text(Some(text))
    }
}

impl<'a> From<&'a Option<String>> for Cell<'a> {
    fn from(text: &'a Option<String>) -> Self {
        Self::Text(text.as_deref())
    }
}

impl From<i64> for Cell<'_> {
    fn from(number: i64) -> Self {
        Self::Int(Some(number))
    }
}

/// A row as written: its columns' values, in the order of its read model's `INSERT`.
pub(crate) trait Cells {
    fn cells(&self) -> Vec<Cell<'_>>;
}

/// The rows a batch folds into, by key: those read before the batch and those it made, with
/// the keys of the ones it changed in the order first changed, so that writes come out in
/// the same order on every run.
#[derive(Debug)]
pub(crate) struct Folded<R> {
    rows: HashMap<String, R>,
    changed: Vec<String>,
    seen: HashSet<String>,
}

impl<R> Folded<R> {
    /// Starts from the rows as stored.
    pub(crate) fn new(stored: impl IntoIterator<Item = (String, R)>) -> Self {
        Self {
            rows: stored.into_iter().collect(),
            changed: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Folds into the row of `key` (`None` if there is none yet): `fold` says whether it
    /// changed it. A row `fold` leaves or makes `None` is not kept.
    pub(crate) fn fold<E>(
        &mut self,
        key: &str,
        fold: impl FnOnce(&mut Option<R>) -> Result<bool, E>,
    ) -> Result<(), E> {
        let mut row = self.rows.remove(key);
        let changed = fold(&mut row)?;
        if let Some(row) = row {
            self.rows.insert(key.to_owned(), row);
        }
        if changed && self.seen.insert(key.to_owned()) {
            self.changed.push(key.to_owned());
        }
        Ok(())
    }

    /// The changed rows that are kept, in the order first changed.
    pub(crate) fn changed(&self) -> impl Iterator<Item = &R> {
        self.changed.iter().filter_map(|key| self.rows.get(key))
    }
}

/// A read model with one row per stream of one aggregate, folded a batch at a time by
/// [`apply_rows`]: what it reads, how it folds an event, what it writes.
pub(crate) trait RowPerStream {
    type Event: DomainEvent;
    type Row: for<'r> FromRow<'r, PgRow> + for<'r> FromRow<'r, SqliteRow> + Cells + Send + Unpin;
    /// The aggregate whose streams the rows are.
    const STREAM_TYPE: &'static str;
    /// Every column of the table, ending with `WHERE <the stream id's column>`.
    const SELECT: &'static str;
    /// `INSERT INTO table (columns in the order of [`Cells::cells`])`.
    const INSERT: &'static str;
    /// What a later event may change of a row written before.
    const ON_CONFLICT: &'static str;

    /// The stream the row is of.
    fn key(row: &Self::Row) -> &str;
    /// Folds one event of the stream into its row (`None` before the stream's first
    /// event); whether it changed.
    fn fold(
        row: &mut Option<Self::Row>,
        event: &RecordedEvent,
        decoded: Self::Event,
    ) -> Result<bool, ProjectionError>;
}

/// Reads the rows of the batch's streams at once, folds the events into them and writes
/// each changed row once.
pub(crate) async fn apply_rows<T: RowPerStream>(
    tx: &mut ReadTx,
    events: &[RecordedEvent],
) -> Result<(), ProjectionError> {
    let events: Vec<&RecordedEvent> = events
        .iter()
        .filter(|e| e.stream.stream_type == T::STREAM_TYPE)
        .collect();
    let ids = distinct(events.iter().map(|e| e.stream.stream_id.as_str()));
    let stored: Vec<T::Row> = rows_with_keys(tx, T::SELECT, &ids).await?;
    let mut rows = Folded::new(stored.into_iter().map(|r| (T::key(&r).to_owned(), r)));
    for event in events {
        let decoded = niaga_store::decode::<T::Event>(event)?;
        rows.fold(&event.stream.stream_id, |row| T::fold(row, event, decoded))?;
    }
    let cells: Vec<Vec<Cell<'_>>> = rows.changed().map(Cells::cells).collect();
    insert_rows(tx, T::INSERT, T::ON_CONFLICT, &cells).await
}

/// The distinct keys of `keys`, in the order first given.
pub(crate) fn distinct<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    keys.into_iter().filter(|key| seen.insert(*key)).collect()
}

/// `{sql} IN ($1, …)` over `keys`.
fn with_keys<'a, DB>(sql: &str, keys: &'a [&'a str]) -> QueryBuilder<'a, DB>
where
    DB: Backend,
    &'a str: Encode<'a, DB> + Type<DB>,
{
    let mut query = QueryBuilder::new(sql);
    query.push(" IN (");
    let mut list = query.separated(", ");
    for key in keys {
        list.push_bind(*key);
    }
    list.push_unseparated(")");
    query
}

/// The rows `select` gives whose `{key column} IN (…)` is among `keys`: `select` ends with
/// `WHERE <key column>` (and whatever comes before it).
pub(crate) async fn rows_with_keys<R>(
    tx: &mut ReadTx,
    select: &str,
    keys: &[&str],
) -> Result<Vec<R>, ProjectionError>
where
    R: for<'r> FromRow<'r, PgRow> + for<'r> FromRow<'r, SqliteRow> + Send + Unpin,
{
    let mut rows = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(MAX_BINDS) {
        rows.extend(on_tx!(tx, conn => with_keys(select, chunk)
            .build_query_as::<R>()
            .fetch_all(conn)
            .await)?);
    }
    Ok(rows)
}

/// Runs `{delete} IN (…)` over `keys`: `delete` ends with `WHERE <key column>`.
pub(crate) async fn delete_with_keys(
    tx: &mut ReadTx,
    delete: &str,
    keys: &[&str],
) -> Result<(), ProjectionError> {
    for chunk in keys.chunks(MAX_BINDS) {
        on_tx!(tx, conn => with_keys(delete, chunk)
            .build()
            .execute(conn)
            .await
            .map(drop))?;
    }
    Ok(())
}

/// `{insert} VALUES (…), (…) {tail}` of `rows`, as few statements as the bind limits allow.
/// `insert` names the columns in the order of each row's cells; `tail` is an `ON CONFLICT`
/// clause or empty.
pub(crate) async fn insert_rows(
    tx: &mut ReadTx,
    insert: &str,
    tail: &str,
    rows: &[Vec<Cell<'_>>],
) -> Result<(), ProjectionError> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    for chunk in rows.chunks((MAX_BINDS / width.max(1)).max(1)) {
        on_tx!(tx, conn => {
            let mut query = QueryBuilder::new(insert);
            query.push(" ");
            push_values(&mut query, chunk);
            query.push(" ").push(tail);
            query.build().execute(conn).await.map(drop)
        })?;
    }
    Ok(())
}

fn push_values<'a, DB>(query: &mut QueryBuilder<'a, DB>, rows: &'a [Vec<Cell<'a>>])
where
    DB: Backend,
    Option<&'a str>: Encode<'a, DB> + Type<DB>,
    Option<i64>: Encode<'a, DB> + Type<DB>,
{
    query.push_values(rows, |mut values, row| {
        for cell in row {
            match *cell {
                Cell::Text(text) => values.push_bind(text),
                Cell::Int(number) => values.push_bind(number),
            };
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fold_keeps_rows_and_remembers_what_changed_in_order() {
        let mut folded = Folded::new([("a".to_owned(), 1), ("b".to_owned(), 2)]);
        folded
            .fold("b", |row| {
                *row.as_mut().unwrap() += 10;
                Ok::<_, ()>(true)
            })
            .unwrap();
        folded.fold("a", |_| Ok::<_, ()>(false)).unwrap();
        folded
            .fold("c", |row| {
                *row = Some(3);
                Ok::<_, ()>(true)
            })
            .unwrap();
        folded
            .fold("b", |row| {
                *row.as_mut().unwrap() += 100;
                Ok::<_, ()>(true)
            })
            .unwrap();
        let changed: Vec<_> = folded.changed().copied().collect();
        assert_eq!(changed, [112, 3]);
    }

    #[test]
    fn distinct_keys_keep_their_first_order() {
        assert_eq!(distinct(["b", "a", "b", "c", "a"]), ["b", "a", "c"]);
    }
}
