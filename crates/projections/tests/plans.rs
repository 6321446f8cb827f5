//! Every query a screen makes of the customer list, the invoice, quotation and delivery order
//! lists and the customer ledger is served by an index: checked on PostgreSQL with 100,000 rows in each
//! table, through the same statements the code runs.
#![allow(clippy::unwrap_used)]

use niaga_domain::{invoice::InvoiceStatus, quotation::QuotationStatus};
use niaga_projections::{
    customer_ledger,
    customer_list::search_sql,
    delivery_orders::{self, DeliveryOrderFilter},
    invoice_list::{self, InvoiceFilter},
    purchase_orders::{self, PurchaseOrderFilter},
    quotation_list::{self, QuotationFilter},
    supplier_list, supplier_performance,
};
use niaga_store::{Backend, Database, testing::fresh_database};
use serde_json::Value;
use sqlx::PgPool;

const ROWS: i64 = 100_000;

/// 100,000 rows per read model: 1,000 customers, every status, ten years of dates.
const FILL: &[&str] = &[
    "INSERT INTO delivery_order_list (delivery_order_id, customer_id, source_kind, source_id, \
     status, lines, created_on, created_position, updated_position) \
     SELECT 'd' || g, 'c' || (g % 1000), 'invoice', 'i' || g, \
     (ARRAY['created','dispatched','signed','cancelled'])[g % 4 + 1], 2, '2026-01-01', g, g \
     FROM generate_series(1, 100000) AS g",
    "INSERT INTO customer_list (customer_id, name, name_key, kind, tin, email, phone, city, \
     state, open_opportunities, last_interaction_at, registered_at) \
     SELECT 'c' || g, 'Customer ' || g, 'customer ' || g, 'company', 'C' || (10000000000 + g), \
     'x@y.my', '+60312345678', 'Shah Alam', '10', 0, NULL, '2026-01-01T00:00:00Z' \
     FROM generate_series(1, 100000) AS g",
    "INSERT INTO invoice_list (invoice_id, customer_id, number, status, currency, total_sen, \
     charged_sen, settled_sen, credit_notes, issued_on, due_on, quotation_id, drafted_at, \
     drafted_position) \
     SELECT 'i' || g, 'c' || (g % 1000), 'INV-2026-' || g, \
     (ARRAY['draft','issued','partly_paid','paid','credited','refund_due','voided','cancelled'])[g % 8 + 1], \
     'MYR', 10000, 10000, 5000, 0, '2026-01-01', '2026-01-31', NULL, '2026-01-01T00:00:00Z', g \
     FROM generate_series(1, 100000) AS g",
    "INSERT INTO quotation_list (quotation_id, number, customer_id, status, current_revision, \
     currency, payable_sen, sent_on, valid_until, accepted_revision, invoice_id, drafted_at, \
     drafted_position, updated_at, updated_position) \
     SELECT 'q' || g, 'QUO-2026-' || g, 'c' || (g % 1000), \
     (ARRAY['draft','sent','accepted','rejected','expired','converted'])[g % 6 + 1], 1, 'MYR', \
     10000, NULL, NULL, NULL, NULL, '2026-01-01T00:00:00Z', g, '2026-01-01T00:00:00Z', g \
     FROM generate_series(1, 100000) AS g",
    "INSERT INTO customer_ledger (position, customer_id, currency, entry_on, kind, \
     document_number, invoice_id, reference, debit_sen, credit_sen) \
     SELECT g, 'c' || (g % 1000), 'MYR', \
     to_char(DATE '2017-01-01' + (g % 3650), 'YYYY-MM-DD'), 'invoice', 'INV-' || g, 'i' || g, \
     NULL, 10000, 0 FROM generate_series(1, 100000) AS g",
];

/// The plan of `sql` with `binds` (text, or integers where they parse), as JSON text.
async fn plan(pool: &PgPool, sql: &str, binds: &[&str]) -> String {
    let explain = format!("EXPLAIN (FORMAT JSON) {sql}");
    let mut query = sqlx::query_scalar::<_, Value>(&explain);
    for bind in binds {
        query = match bind.parse::<i64>() {
            Ok(number) => query.bind(number),
            Err(_) => query.bind(*bind),
        };
    }
    query.fetch_one(pool).await.unwrap().to_string()
}

#[track_caller]
fn assert_indexed(plan: &str, indexes: &[&str]) {
    assert!(!plan.contains("Seq Scan"), "a sequential scan: {plan}");
    assert!(
        indexes.iter().any(|index| plan.contains(index)),
        "none of {indexes:?}: {plan}"
    );
}

#[tokio::test]
async fn postgres_every_list_and_statement_query_walks_an_index() {
    let Database::Postgres(pool) = fresh_database(Backend::Postgres).await.unwrap() else {
        unreachable!("asked for PostgreSQL")
    };
    for fill in FILL {
        sqlx::query(fill).execute(&pool).await.unwrap();
    }
    for table in [
        "delivery_order_list",
        "customer_list",
        "invoice_list",
        "quotation_list",
        "customer_ledger",
    ] {
        sqlx::query(&format!("ANALYZE {table}"))
            .execute(&pool)
            .await
            .unwrap();
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(count, ROWS, "{table}");
    }

    // Customers by name prefix and by TIN prefix, first page and a later one.
    let end = "customer 12\u{10FFFF}";
    for after in [["", ""], ["customer 12345", "c12345"]] {
        let binds = ["customer 12", end, after[0], after[1], "51"];
        assert_indexed(
            &plan(&pool, &search_sql(false), &binds).await,
            &["customer_list_by_name"],
        );
    }
    let binds = ["C100000123", "C100000123\u{10FFFF}", "", "", "51"];
    assert_indexed(
        &plan(&pool, &search_sql(true), &binds).await,
        &["customer_list_by_tin"],
    );

    // Invoices and quotations: newest first, by status, by customer, by both.
    let max = i64::MAX.to_string();
    for (status, customer) in [
        (None, None),
        (Some(InvoiceStatus::PartlyPaid), None),
        (None, Some("c42")),
        (Some(InvoiceStatus::Paid), Some("c42")),
    ] {
        let filter = InvoiceFilter {
            status,
            customer_id: customer.map(str::to_owned),
            ..InvoiceFilter::default()
        };
        let mut binds = vec![max.as_str()];
        let status = status.map(invoice_list::status_text);
        binds.extend(status);
        binds.extend(customer);
        binds.push("51");
        let plan = plan(&pool, &invoice_list::list_sql(&filter), &binds).await;
        assert_indexed(
            &plan,
            &[
                "invoice_list_newest",
                "invoice_list_by_status",
                "invoice_list_by_customer",
            ],
        );
    }
    for (status, customer) in [
        (None, None),
        (Some(QuotationStatus::Sent), None),
        (None, Some("c42")),
        (Some(QuotationStatus::Accepted), Some("c42")),
    ] {
        let filter = QuotationFilter {
            status,
            customer_id: customer.map(str::to_owned),
            ..QuotationFilter::default()
        };
        let mut binds = vec![max.as_str()];
        let status = status.map(quotation_list::status_text);
        binds.extend(status);
        binds.extend(customer);
        binds.push("51");
        let plan = plan(&pool, &quotation_list::list_sql(&filter), &binds).await;
        assert_indexed(
            &plan,
            &[
                "quotation_list_newest",
                "quotation_list_by_status",
                "quotation_list_by_customer",
            ],
        );
    }

    // Delivery orders: newest first, by status, by customer, by both.
    for (status, customer) in [
        (None, None),
        (Some(delivery_orders::SIGNED), None),
        (None, Some("c42")),
        (Some(delivery_orders::DISPATCHED), Some("c42")),
    ] {
        let filter = DeliveryOrderFilter {
            status,
            customer_id: customer.map(str::to_owned),
            ..DeliveryOrderFilter::default()
        };
        let mut binds = vec![max.as_str()];
        binds.extend(status);
        binds.extend(customer);
        binds.push("51");
        let plan = plan(&pool, &delivery_orders::list_sql(&filter), &binds).await;
        assert_indexed(
            &plan,
            &[
                "delivery_order_list_newest",
                "delivery_order_list_by_status",
                "delivery_order_list_by_customer",
            ],
        );
    }

    // A statement: the opening balance and the period's entries.
    let opening = plan(
        &pool,
        customer_ledger::OPENING_SQL,
        &["c42", "MYR", "2026-01-01"],
    )
    .await;
    assert_indexed(&opening, &["customer_ledger_statement"]);
    let entries = plan(
        &pool,
        customer_ledger::ENTRIES_SQL,
        &["c42", "MYR", "2026-01-01", "2026-06-30", "5001"],
    )
    .await;
    assert_indexed(&entries, &["customer_ledger_statement"]);
}

/// 100,000 purchase orders of 1,000 suppliers (one line each, every status, ten years of
/// promised dates), a receipt each, and 100,000 suppliers.
const PURCHASING_FILL: &[&str] = &[
    "INSERT INTO supplier_list (supplier_id, name, kind, tin, email, phone, city, state, \
     registered_at, registered_position, updated_position) \
     SELECT 's' || g, 'Supplier ' || g, 'company', 'C' || (10000000000 + g), 'x@y.my', \
     '+60312345678', 'Shah Alam', '10', '2026-01-01T00:00:00Z', g, g \
     FROM generate_series(1, 100000) AS g",
    "INSERT INTO purchase_order_list (purchase_order_id, supplier_id, number, status, \
     receipt_status, currency, total_sen, lines, promised_on, drafted_at, drafted_position, \
     updated_position) \
     SELECT 'p' || g, 's' || (g % 1000), 'PO-2026-' || g, \
     (ARRAY['draft','sent','closed','cancelled'])[g % 4 + 1], \
     (ARRAY['not_received','partly_received','received','short_closed','closed'])[g % 5 + 1], \
     'MYR', 10000, 1, to_char(DATE '2017-01-01' + (g % 3650), 'YYYY-MM-DD'), \
     '2026-01-01T00:00:00Z', g, g FROM generate_series(1, 100000) AS g",
    "INSERT INTO purchase_order_lines (purchase_order_id, line_no, description, unit, ordered, \
     difference, unit_price, amount_sen) \
     SELECT 'p' || g, 1, 'Weights', 'H87', '10', '-10', '10', 10000 \
     FROM generate_series(1, 100000) AS g",
    "INSERT INTO purchase_order_receipts (purchase_order_id, receipt_id, supplier_id, \
     received_on, promised_on, days_late, receiver, lines, tolerance_version, \
     tolerance_percent, recorded_position) \
     SELECT 'p' || g, 'r' || g, 's' || (g % 1000), \
     to_char(DATE '2017-01-01' + (g % 3650), 'YYYY-MM-DD'), '2017-01-01', g % 5, 'Ahmad', 1, \
     1, '5', g FROM generate_series(1, 100000) AS g",
];

#[tokio::test]
async fn postgres_every_purchasing_query_walks_an_index() {
    let Database::Postgres(pool) = fresh_database(Backend::Postgres).await.unwrap() else {
        unreachable!("asked for PostgreSQL")
    };
    for fill in PURCHASING_FILL {
        sqlx::query(fill).execute(&pool).await.unwrap();
    }
    for table in [
        "supplier_list",
        "purchase_order_list",
        "purchase_order_lines",
        "purchase_order_receipts",
    ] {
        sqlx::query(&format!("ANALYZE {table}"))
            .execute(&pool)
            .await
            .unwrap();
    }
    let max = i64::MAX.to_string();
    // Orders: newest first, by status, receipt status, supplier, and together.
    for (status, receipt_status, supplier) in [
        (None, None, None),
        (Some(purchase_orders::SENT), None, None),
        (None, Some(purchase_orders::PARTLY_RECEIVED), None),
        (None, None, Some("s42")),
        (Some(purchase_orders::SENT), None, Some("s42")),
    ] {
        let filter = PurchaseOrderFilter {
            status,
            receipt_status,
            supplier_id: supplier.map(str::to_owned),
            ..PurchaseOrderFilter::default()
        };
        let mut binds = vec![max.as_str()];
        binds.extend(status);
        binds.extend(receipt_status);
        binds.extend(supplier);
        binds.push("51");
        assert_indexed(
            &plan(&pool, &purchase_orders::list_sql(&filter), &binds).await,
            &[
                "purchase_order_list_newest",
                "purchase_order_list_by_status",
                "purchase_order_list_by_receipt_status",
                "purchase_order_list_by_supplier",
            ],
        );
    }
    // Suppliers, newest first and by TIN.
    assert_indexed(
        &plan(&pool, &supplier_list::list_sql(None), &[max.as_str(), "51"]).await,
        &["supplier_list_newest"],
    );
    assert_indexed(
        &plan(
            &pool,
            &supplier_list::list_sql(Some("C10000000042")),
            &[max.as_str(), "C10000000042", "51"],
        )
        .await,
        &["supplier_list_by_tin"],
    );
    // A supplier's performance over a year: its deliveries, its orders' quantities.
    let year = ["s42", "2025-01-01", "2026-01-01"];
    assert_indexed(
        &plan(&pool, supplier_performance::DELIVERIES_SQL, &year).await,
        &["purchase_order_receipts_by_supplier"],
    );
    assert_indexed(
        &plan(&pool, supplier_performance::QUANTITIES_SQL, &year).await,
        &["purchase_order_list_by_supplier_promised"],
    );
}
