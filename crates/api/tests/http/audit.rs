//! `/audit/streams/{type}/{id}?as_of=`: a customer as it stood at an instant, folded from its
//! events, with the hash chain checked; a row altered behind the database's back shows as a
//! broken link at its version.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, FixedOffset, SecondsFormat, TimeZone, Utc};
use niaga_api::auth::Role;
use niaga_domain::{
    Actor, Ctx, DomainEvent,
    customer::{
        AmendCustomerDetails, Customer, CustomerCommand, CustomerEvent, CustomerRegistered,
    },
    ids::CustomerId,
    testing::sample_company,
    values::Name,
};
use niaga_store::{Append, CommandOptions, Metadata, NewEvent, StreamRef, Tip, on_writer};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, json_request};

fn acme(name: &str) -> Value {
    json!({
        "kind": "company",
        "name": name,
        "tin": "C2584563202",
        "identification": { "scheme": "BRN", "value": "201901234567" },
        "address": {
            "lines": ["Lot 5, Jalan Utas 15/7"],
            "city": "Shah Alam",
            "postcode": "40200",
            "state": "10"
        },
        "email": "purchasing@acme.com.my",
        "phone": "+60 3-5510 1234"
    })
}

/// `GET /audit/streams/customer/{id}` with `as_of` (already URL-encoded), as the auditor.
async fn as_of(app: &TestApp, id: &str, as_of: Option<&str>) -> Value {
    let path = match as_of {
        Some(at) => format!("/audit/streams/customer/{id}?as_of={at}"),
        None => format!("/audit/streams/customer/{id}"),
    };
    let response = app.get(&path, Some(Role::Auditor)).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{path}: {}",
        String::from_utf8_lossy(&response.body)
    );
    response.json()
}

/// An instant as a client in Malaysia writes it, encoded for a query string.
fn malaysian(at: DateTime<Utc>) -> String {
    let myt = FixedOffset::east_opt(8 * 3600).unwrap();
    at.with_timezone(&myt)
        .to_rfc3339_opts(SecondsFormat::Micros, false)
        .replace('+', "%2B")
}

fn recorded_at(event: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(event["recorded_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// Registers "Acme Lama" and, a moment later, renames it "Acme Baru" through the API.
async fn registered_then_renamed(app: &TestApp) -> String {
    let created = app
        .post(
            "/customers",
            &acme("Acme Lama Sdn. Bhd."),
            Some(Role::Sales),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    // The API stamps events with its clock: make the two times surely differ.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let token = app.token(Role::Sales).await;
    let amended = app
        .send(json_request(
            Method::PUT,
            &format!("/customers/{id}"),
            &acme("Acme Baru Sdn. Bhd."),
            Some(&token),
        ))
        .await;
    assert_eq!(amended.status, StatusCode::OK);
    assert_eq!(amended.json()["version"], 2);
    id
}

async fn the_auditor_sees_the_customer_as_it_stood_at_each_instant(app: TestApp) {
    let id = registered_then_renamed(&app).await;

    let now = as_of(&app, &id, None).await;
    assert_eq!(now["stream_type"], "customer");
    assert_eq!(now["stream_id"], id);
    assert_eq!(now["version"], 2);
    assert_eq!(now["state"]["name"], "Acme Baru Sdn. Bhd.");
    assert_eq!(
        now["chain"],
        json!({ "verified": true, "events_checked": 2, "first_broken": null })
    );
    let events = now["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["type"], "CustomerRegistered");
    assert_eq!(events[0]["version"], 1);
    assert_eq!(events[0]["schema_version"], 2);
    assert_eq!(events[1]["type"], "CustomerDetailsAmended");
    for event in events {
        assert!(
            event["id"].is_string() && event["hash"].is_string(),
            "{event}"
        );
        assert!(event["metadata"]["actor"].is_string(), "{event}");
        assert_eq!(event["recorded_at"].as_str().unwrap().len(), 27, "{event}");
    }
    let (registered, renamed) = (recorded_at(&events[0]), recorded_at(&events[1]));
    assert!(registered < renamed);

    // Inclusive: at the very microsecond of the registration, it is registered.
    let then = as_of(&app, &id, Some(&malaysian(registered))).await;
    assert_eq!(then["version"], 1);
    assert_eq!(then["state"]["name"], "Acme Lama Sdn. Bhd.");
    assert_eq!(then["state"]["version"], 1);
    assert_eq!(then["events"].as_array().unwrap().len(), 1);
    assert_eq!(then["as_of"], events[0]["recorded_at"]);
    assert_eq!(then["chain"]["verified"], true);
    assert_eq!(
        then["chain"]["events_checked"], 2,
        "the next event proves the history ended there"
    );

    let between = registered + (renamed - registered) / 2;
    let later = as_of(&app, &id, Some(&malaysian(between))).await;
    assert_eq!(later["version"], 1);
    let after = as_of(&app, &id, Some(&malaysian(renamed))).await;
    assert_eq!(after["version"], 2);
    assert_eq!(after["state"]["name"], "Acme Baru Sdn. Bhd.");

    // Before it was registered, the customer did not exist: state null, version 0.
    let before = registered - chrono::TimeDelta::microseconds(1);
    let before = as_of(&app, &id, Some(&malaysian(before))).await;
    assert_eq!(before["version"], 0);
    assert_eq!(before["state"], Value::Null);
    assert_eq!(before["events"], json!([]));
    assert_eq!(
        before["chain"],
        json!({ "verified": true, "events_checked": 1, "first_broken": null })
    );
    let long_ago = as_of(&app, &id, Some("2020-01-01")).await;
    assert_eq!(long_ago["version"], 0);
}

/// Events seeded through the command pipeline with chosen clocks, to pin the edges of a
/// Malaysian business day.
async fn a_date_means_the_end_of_that_business_day_in_malaysia(app: TestApp) {
    let id = CustomerId::from_uuid(Uuid::now_v7());
    // 23:59:59.999999 on 31 March and 00:00 on 1 April, Malaysian time.
    let last_moment = Utc
        .with_ymd_and_hms(2026, 3, 31, 15, 59, 59)
        .unwrap()
        .checked_add_signed(chrono::TimeDelta::microseconds(999_999))
        .unwrap();
    let next_day = Utc.with_ymd_and_hms(2026, 3, 31, 16, 0, 0).unwrap();
    let customers = app.state.commands::<Customer>();
    let at = |now: DateTime<Utc>| Ctx::new(now, Actor::User(Uuid::nil()), Uuid::now_v7());
    let register = sample_company(id, "Acme Lama", "C25845632020").unwrap();
    let amend = AmendCustomerDetails {
        kind: register.kind,
        details: niaga_domain::customer::CustomerDetails {
            name: Name::parse("Acme Baru").unwrap(),
            ..register.details.clone()
        },
    };
    for (command, now) in [
        (CustomerCommand::Register(register), last_moment),
        (CustomerCommand::AmendDetails(amend), next_day),
    ] {
        customers
            .execute(
                &id.to_string(),
                &command,
                &at(now),
                &CommandOptions::default(),
            )
            .await
            .unwrap();
    }
    let id = id.to_string();

    let march = as_of(&app, &id, Some("2026-03-31")).await;
    assert_eq!(march["as_of"], "2026-03-31T15:59:59.999999Z");
    assert_eq!(march["version"], 1);
    assert_eq!(march["state"]["name"], "Acme Lama");
    assert_eq!(
        march["events"][0]["recorded_at"],
        "2026-03-31T15:59:59.999999Z"
    );
    let april = as_of(&app, &id, Some("2026-04-01")).await;
    assert_eq!(april["version"], 2);
    assert_eq!(april["state"]["name"], "Acme Baru");

    // A whole second is not the end of the day: the last microsecond is after it.
    let second = as_of(&app, &id, Some("2026-03-31T23:59:59%2B08:00")).await;
    assert_eq!(second["version"], 0);
    assert_eq!(second["state"], Value::Null);
    // A `+` sent unencoded arrives as a space; it is read as the `+` meant.
    let unencoded = as_of(&app, &id, Some("2026-04-01T00:00:00+08:00")).await;
    assert_eq!(unencoded["version"], 2);
    assert_eq!(unencoded["as_of"], "2026-03-31T16:00:00.000000Z");
}

async fn a_row_altered_by_hand_breaks_the_chain_at_its_version(app: TestApp) {
    let id = registered_then_renamed(&app).await;
    let registered = recorded_at(&as_of(&app, &id, None).await["events"][0]);

    let db = app.state.db();
    let (unguard, tamper, unreadable) = match db.backend() {
        niaga_store::Backend::Postgres => (
            "ALTER TABLE events DISABLE TRIGGER USER",
            "UPDATE events SET payload = jsonb_set(payload::jsonb, '{name}', '\"Someone Else\"')::json \
             WHERE version = 2",
            "UPDATE events SET payload = jsonb_set(payload::jsonb, '{kind}', '\"robot\"')::json \
             WHERE version = 2",
        ),
        niaga_store::Backend::Sqlite => (
            "DROP TRIGGER events_refuse_update",
            "UPDATE events SET payload = json_set(payload, '$.name', 'Someone Else') \
             WHERE version = 2",
            "UPDATE events SET payload = json_set(payload, '$.kind', 'robot') WHERE version = 2",
        ),
    };
    for statement in [unguard, tamper] {
        on_writer!(db, pool => sqlx::query(statement).execute(pool).await.map(drop)).unwrap();
    }

    let now = as_of(&app, &id, None).await;
    assert_eq!(now["chain"]["verified"], false);
    assert_eq!(now["chain"]["events_checked"], 2);
    let broken = &now["chain"]["first_broken"];
    assert_eq!(broken["version"], 2);
    assert_eq!(broken["found"], now["events"][1]["hash"]);
    assert_ne!(broken["expected"], broken["found"]);
    // The state is folded from the events as stored: the tampering shows, flagged.
    assert_eq!(now["state"]["name"], "Someone Else");

    // Looking at the time before the altered event still checks it: its hash is what proves
    // that the history at that time ended where it seems to.
    let then = as_of(&app, &id, Some(&malaysian(registered))).await;
    assert_eq!(then["version"], 1);
    assert_eq!(then["state"]["name"], "Acme Lama Sdn. Bhd.");
    assert_eq!(then["chain"]["verified"], false);
    assert_eq!(then["chain"]["first_broken"]["version"], 2);

    // An event altered beyond what today's code can read: the auditor still gets the
    // events and the chain, with the reason there is no state.
    on_writer!(db, pool => sqlx::query(unreadable).execute(pool).await.map(drop)).unwrap();
    let now = as_of(&app, &id, None).await;
    assert_eq!(now["state"], Value::Null);
    assert!(
        now["state_error"]
            .as_str()
            .unwrap()
            .contains("CustomerDetailsAmended"),
        "{now}"
    );
    assert_eq!(now["chain"]["first_broken"]["version"], 2);
    assert_eq!(now["events"].as_array().unwrap().len(), 2);
}

async fn an_event_stored_in_an_old_shape_shows_as_stored_and_folds_upcast(app: TestApp) {
    let id = CustomerId::from_uuid(Uuid::now_v7());
    let register = sample_company(id, "Acme Lama", "C25845632020").unwrap();
    let (event_type, _, mut payload) = CustomerEvent::CustomerRegistered(CustomerRegistered {
        customer_id: id,
        kind: register.kind,
        details: register.details,
    })
    .encode()
    .unwrap();
    // Schema version 1 had no `kind`: every customer then was a company.
    payload.as_object_mut().unwrap().remove("kind");
    app.state
        .event_store()
        .append(Append {
            stream: StreamRef::new("customer", id.to_string()),
            expected: Tip::default(),
            events: vec![NewEvent {
                event_id: Uuid::now_v7(),
                event_type: event_type.into(),
                schema_version: 1,
                payload,
            }],
            metadata: Metadata::default(),
            recorded_at: Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap(),
            idempotency: None,
        })
        .await
        .unwrap();

    let now = as_of(&app, &id.to_string(), None).await;
    assert_eq!(now["events"][0]["schema_version"], 1);
    assert!(now["events"][0]["payload"].get("kind").is_none());
    assert_eq!(
        now["events"][0]["recorded_at"],
        "2025-01-02T03:04:05.000000Z"
    );
    assert_eq!(now["state"]["kind"], "company");
    assert_eq!(now["chain"]["verified"], true);
}

async fn only_the_auditor_and_the_admin_open_history(app: TestApp) {
    let id = registered_then_renamed(&app).await;
    let path = format!("/audit/streams/customer/{id}");
    for role in [
        Role::Sales,
        Role::Finance,
        Role::Warehouse,
        Role::Integrator,
    ] {
        app.get(&path, Some(role))
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    app.get(&path, None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
    for role in [Role::Auditor, Role::Admin] {
        assert_eq!(app.get(&path, Some(role)).await.status, StatusCode::OK);
    }
}

async fn unknown_streams_and_bad_instants_are_problems(app: TestApp) {
    let id = registered_then_renamed(&app).await;
    let unknown_type = app
        .get(&format!("/audit/streams/invoice/{id}"), Some(Role::Auditor))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not-found");
    assert!(
        unknown_type["detail"]
            .as_str()
            .unwrap()
            .contains("stream type"),
        "{unknown_type}"
    );
    app.get(
        &format!("/audit/streams/customer/{}", Uuid::now_v7()),
        Some(Role::Auditor),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "not-found");
    for bad in ["2026-03-31T23:59:59", "yesterday", "2026-02-30"] {
        let problem = app
            .get(
                &format!("/audit/streams/customer/{id}?as_of={bad}"),
                Some(Role::Auditor),
            )
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
        assert!(
            problem["detail"].as_str().unwrap().contains("as_of"),
            "{problem}"
        );
    }
    app.get(
        &format!("/audit/streams/customer/{id}?at=2026-03-31"),
        Some(Role::Auditor),
    )
    .await
    .assert_problem(StatusCode::BAD_REQUEST, "bad-request");
}

#[tokio::test]
async fn the_route_is_in_the_openapi_document() {
    let app = TestApp::spawn(niaga_store::Backend::Sqlite).await;
    let api = app.get("/openapi.json", None).await.json();
    let route = &api["paths"]["/audit/streams/{stream_type}/{stream_id}"]["get"];
    assert!(route.is_object(), "not documented");
    let params: Vec<&str> = route["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(params, ["stream_type", "stream_id", "as_of"]);
    for schema in ["StreamAsOf", "AuditEvent", "ChainCheck", "BrokenLinkView"] {
        assert!(
            api["components"]["schemas"].get(schema).is_some(),
            "no {schema} schema"
        );
    }
}

crate::on_both_backends!(
    the_auditor_sees_the_customer_as_it_stood_at_each_instant,
    a_date_means_the_end_of_that_business_day_in_malaysia,
    a_row_altered_by_hand_breaks_the_chain_at_its_version,
    an_event_stored_in_an_old_shape_shows_as_stored_and_folds_upcast,
    only_the_auditor_and_the_admin_open_history,
    unknown_streams_and_bad_instants_are_problems,
);
