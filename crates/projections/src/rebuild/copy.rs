//! Moving a read model's rows from the rebuild's in-memory SQLite database into PostgreSQL's
//! fresh tables with one `COPY` per table: the whole table crosses in a stream of large
//! messages instead of a round trip per row.

use std::io::Write as _;

use futures::TryStreamExt as _;
use sqlx::{Column as _, PgConnection, Row as _, SqlitePool, TypeInfo as _, ValueRef as _};

use crate::ProjectionError;

/// Bytes of `COPY` text gathered before they are sent.
const CHUNK: usize = 1 << 20;

/// Copies every row of `staging`'s `table` into `schema.table` on `pg`; how many rows.
/// Columns are matched by name (the two databases' migrations may order them differently);
/// the values go as PostgreSQL's `COPY` text, which each column parses as its own type.
pub(super) async fn copy_table(
    staging: &SqlitePool,
    pg: &mut PgConnection,
    schema: &str,
    table: &str,
) -> Result<u64, ProjectionError> {
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER' \
         ORDER BY ordinal_position",
    )
    .bind(schema)
    .bind(table)
    .fetch_all(&mut *pg)
    .await?;
    if let Some(odd) = columns.iter().find(|c| !super::is_plain_identifier(c)) {
        return Err(ProjectionError::Corrupt(format!(
            "column {odd:?} of {table} cannot be copied"
        )));
    }
    let list = columns.join(", ");
    let mut copy = pg
        .copy_in_raw(&format!("COPY {schema}.{table} ({list}) FROM STDIN"))
        .await?;
    let select = format!("SELECT {list} FROM {table}");
    let mut rows = sqlx::query(&select).fetch(staging);
    let mut chunk = Vec::with_capacity(CHUNK + 4096);
    let copied = async {
        while let Some(row) = rows.try_next().await? {
            for index in 0..row.columns().len() {
                if index > 0 {
                    chunk.push(b'\t');
                }
                write_value(&mut chunk, &row, index)?;
            }
            chunk.push(b'\n');
            if chunk.len() >= CHUNK {
                copy.send(chunk.as_slice()).await?;
                chunk.clear();
            }
        }
        if !chunk.is_empty() {
            copy.send(chunk.as_slice()).await?;
        }
        Ok::<_, ProjectionError>(())
    }
    .await;
    match copied {
        Ok(()) => Ok(copy.finish().await?),
        Err(error) => {
            // The connection must leave COPY mode before it goes back to its pool.
            let _ = copy.abort("the rebuild's copy failed").await;
            Err(error)
        }
    }
}

/// One value of a SQLite row in `COPY` text form.
fn write_value(
    out: &mut Vec<u8>,
    row: &sqlx::sqlite::SqliteRow,
    index: usize,
) -> Result<(), ProjectionError> {
    let raw = row.try_get_raw(index)?;
    if raw.is_null() {
        out.extend_from_slice(b"\\N");
        return Ok(());
    }
    // SQLite types values, not columns: this is the value's own storage class. Numbers are
    // written straight into the buffer (a rebuild copies millions of values; writing to a
    // Vec cannot fail).
    let storage = raw.type_info();
    match storage.name() {
        "INTEGER" => {
            let value: i64 = row.try_get_unchecked(index)?;
            let _ = write!(out, "{value}");
        }
        "REAL" => {
            let value: f64 = row.try_get_unchecked(index)?;
            let _ = write!(out, "{value}");
        }
        "TEXT" => {
            let value: &str = row.try_get_unchecked(index)?;
            escape_text(out, value.as_bytes());
        }
        "BLOB" => {
            let value: &[u8] = row.try_get_unchecked(index)?;
            // bytea's hex input, its backslash escaped for COPY.
            out.extend_from_slice(b"\\\\x");
            for byte in value {
                let _ = write!(out, "{byte:02x}");
            }
        }
        other => {
            return Err(ProjectionError::Corrupt(format!(
                "a {other} value in column {}",
                row.columns()[index].name()
            )));
        }
    }
    Ok(())
}

/// `COPY` text escapes: the backslash, and the characters that end a value or a row.
fn escape_text(out: &mut Vec<u8>, text: &[u8]) {
    for &byte in text {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_would_end_a_value_is_escaped() {
        let mut out = Vec::new();
        escape_text(&mut out, b"a\tb\nc\\d\re");
        assert_eq!(out, b"a\\tb\\nc\\\\d\\re");
    }
}
