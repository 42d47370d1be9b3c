//! The client list at any size: accent-free search and duplicates, keyset paging in every
//! order, and per-status counters that follow every change.

use std::collections::HashSet;

use base64::Engine as _;
use clientele::auth::Role;
use sqlx::PgPool;

use crate::helpers::{
    CreateClientInput, Refused, TestApp, client_names, client_walk,
    client_walk::ClientSort as Sort, contact,
};

fn named(name: &str) -> CreateClientInput {
    CreateClientInput {
        name: name.to_owned(),
        confirm_not_duplicate: true,
        ..CreateClientInput::default()
    }
}

async fn search(app: &TestApp, text: &str) -> Vec<String> {
    let filter = client_names::ClientFilter {
        search: Some(text.to_owned()),
        ..client_names::ClientFilter::default()
    };
    app.client_names(Role::Analyst, Some(filter), None, None, None)
        .await
        .expect("a search")
        .items
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn accents_case_and_ampersands_matter_neither_to_search_nor_to_duplicates(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let muller = CreateClientInput {
        contacts: vec![contact("José Álvarez", "jose@muller.example", true)],
        ..named("Müller Logistik GmbH")
    };
    app.create_client(Role::Admin, muller)
        .await
        .expect("created");
    for name in ["Société Générale", "Smith & Sons", "Acme Robotics"] {
        app.create_named_client(name, vec![]).await;
    }

    for text in [
        "Muller",
        "MÜLLER",
        "muller logistik",
        "jose alvarez",
        "JOSÉ",
    ] {
        assert_eq!(search(&app, text).await, ["Müller Logistik GmbH"], "{text}");
    }
    for text in ["Societe", "société générale", "SOCIETE GENERALE"] {
        assert_eq!(search(&app, text).await, ["Société Générale"], "{text}");
    }
    for text in ["smith and sons", "Smith & Sons", "smith  &  sons"] {
        assert_eq!(search(&app, text).await, ["Smith & Sons"], "{text}");
    }

    let duplicates = |name: &'static str| {
        let app = &app;
        async move {
            app.client_duplicates(Role::Manager, Some(name.into()), None, None, None)
                .await
                .expect("duplicates")
                .into_iter()
                .map(|d| (d.client.name, d.score))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        duplicates("Societe Generale SA").await,
        [("Société Générale".to_owned(), 1.0)]
    );
    assert_eq!(
        duplicates("Smith and Sons Ltd").await,
        [("Smith & Sons".to_owned(), 1.0)]
    );
    assert_eq!(
        duplicates("Muller Logistik").await,
        [("Müller Logistik GmbH".to_owned(), 1.0)]
    );
    let refused = app
        .create_client(
            Role::Admin,
            CreateClientInput {
                confirm_not_duplicate: false,
                ..named("Societe Generale SA")
            },
        )
        .await
        .refused("CONFLICT");
    assert_eq!(
        refused.extensions["duplicates"][0]["name"],
        "Société Générale"
    );
}

/// `count` clients with names that tie and differ only in accents or case, and creation
/// and update times shared by several clients, so that every order needs its id tie-break.
async fn seed_ties(app: &TestApp, count: i32) {
    sqlx::query(
        "insert into clients (client_code, name, status, created_by, created_at, updated_at)
         select 'CLT-2020-' || lpad(g::text, 5, '0'),
                (array['Müller', 'muller', 'Zeta & Co', 'Åsa', 'Société', 'acme'])[g % 6 + 1]
                    || ' ' || (g % 5),
                (array['active', 'active', 'on-hold', 'inactive'])[g % 4 + 1],
                $1,
                timestamptz '2026-01-01 00:00:00+00' + (g / 4) * interval '1 hour',
                timestamptz '2026-06-01 00:00:00.123456+00' - (g / 3) * interval '1 minute'
         from generate_series(1, $2) g",
    )
    .bind(app.users[&Role::Admin])
    .bind(count)
    .execute(&app.pool)
    .await
    .expect("seeded");
}

async fn walk(
    app: &TestApp,
    sort: Sort,
    filter: Option<client_walk::ClientFilter>,
    first: i64,
) -> Vec<client_walk::ClientWalkClientsItems> {
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let page = app
            .client_walk(
                Role::Analyst,
                filter.clone(),
                Some(sort.clone()),
                Some(first),
                after.take(),
                None,
            )
            .await
            .expect("a keyset page");
        assert!(page.items.len() as i64 <= first);
        items.extend(page.items);
        if !page.has_next_page {
            return items;
        }
        after = Some(page.end_cursor.expect("a cursor before the next page"));
    }
}

async fn by_offset(
    app: &TestApp,
    sort: Sort,
    filter: Option<client_walk::ClientFilter>,
) -> Vec<String> {
    let mut ids = Vec::new();
    for page in 1.. {
        let items = app
            .client_walk(
                Role::Analyst,
                filter.clone(),
                Some(sort.clone()),
                None,
                None,
                Some(page),
            )
            .await
            .expect("a numbered page")
            .items;
        if items.is_empty() {
            return ids;
        }
        ids.extend(items.into_iter().map(|c| c.id));
    }
    ids
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn keyset_paging_walks_every_order_like_numbered_pages_without_gaps_or_repeats(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_ties(&app, 83).await;
    let sorts = [
        Sort::NAME_ASC,
        Sort::NAME_DESC,
        Sort::CODE_ASC,
        Sort::CODE_DESC,
        Sort::NEWEST,
        Sort::OLDEST,
        Sort::RECENTLY_UPDATED,
    ];
    let active = client_walk::ClientFilter {
        status: Some(vec![crate::helpers::ClientStatus::Active]),
        ..client_walk::ClientFilter::default()
    };
    let searched = client_walk::ClientFilter {
        search: Some("muller".into()),
        ..client_walk::ClientFilter::default()
    };
    for sort in sorts {
        for (filter, expected) in [
            (None, 83),
            (Some(active.clone()), 41),
            (Some(searched.clone()), 27),
        ] {
            let walked = walk(&app, sort.clone(), filter.clone(), 7).await;
            let ids: Vec<String> = walked.iter().map(|c| c.id.clone()).collect();
            assert_eq!(ids.len(), expected, "{sort:?} {filter:?}");
            assert_eq!(
                ids.iter().collect::<HashSet<_>>().len(),
                ids.len(),
                "no client twice: {sort:?} {filter:?}"
            );
            assert_eq!(
                ids,
                by_offset(&app, sort.clone(), filter).await,
                "the same order as numbered pages: {sort:?}"
            );
            let pairs = walked.windows(2);
            match sort {
                Sort::NEWEST => assert!(pairs.clone().all(|w| w[0].created_at >= w[1].created_at)),
                Sort::OLDEST => assert!(pairs.clone().all(|w| w[0].created_at <= w[1].created_at)),
                Sort::RECENTLY_UPDATED => {
                    assert!(pairs.clone().all(|w| w[0].updated_at >= w[1].updated_at));
                }
                Sort::CODE_ASC => {
                    assert!(pairs.clone().all(|w| w[0].client_code < w[1].client_code))
                }
                Sort::CODE_DESC => {
                    assert!(pairs.clone().all(|w| w[0].client_code > w[1].client_code));
                }
                _ => {}
            }
        }
    }

    // Accents and case do not split the name order: "Müller 1" sits with "muller 1".
    let names: Vec<String> = walk(&app, Sort::NAME_ASC, None, 50)
        .await
        .into_iter()
        .map(|c| c.name)
        .collect();
    let first_muller = names.iter().position(|n| n == "Müller 1").expect("seeded");
    let neighbours = &names[first_muller.saturating_sub(5)..(first_muller + 6).min(names.len())];
    assert!(neighbours.iter().any(|n| n == "muller 1"), "{neighbours:?}");
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn a_walk_is_stable_while_clients_are_added_before_and_after_the_cursor(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_ties(&app, 30).await;
    let page = |after: Option<String>| {
        app.client_walk(
            Role::Analyst,
            None,
            Some(Sort::NAME_ASC),
            Some(10),
            after,
            None,
        )
    };
    let first = page(None).await.expect("first page");
    app.create_named_client("AAA Before Everything", vec![])
        .await;
    app.create_named_client("ZZZ After Everything", vec![])
        .await;
    let mut seen: Vec<String> = first.items.iter().map(|c| c.name.clone()).collect();
    let mut after = first.end_cursor;
    while let Some(cursor) = after {
        let next = page(Some(cursor)).await.expect("next page");
        seen.extend(next.items.iter().map(|c| c.name.clone()));
        after = next.has_next_page.then_some(next.end_cursor).flatten();
    }
    assert_eq!(
        seen.len(),
        31,
        "the 30 seeded and the one added after the cursor"
    );
    assert_eq!(
        seen.last().map(String::as_str),
        Some("ZZZ After Everything")
    );
    assert!(!seen.iter().any(|n| n == "AAA Before Everything"));
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn keyset_paging_refuses_broken_and_foreign_cursors(pool: PgPool) {
    let app = TestApp::new(pool).await;
    seed_ties(&app, 12).await;
    let walk_page = |sort: Option<Sort>,
                     search: Option<&str>,
                     first: Option<i64>,
                     after: Option<String>,
                     page: Option<i64>| {
        let filter = search.map(|s| client_walk::ClientFilter {
            search: Some(s.to_owned()),
            ..client_walk::ClientFilter::default()
        });
        app.client_walk(Role::Analyst, filter, sort, first, after, page)
    };
    let by_name = walk_page(Some(Sort::NAME_ASC), None, Some(5), None, None)
        .await
        .expect("a page");
    let name_cursor = by_name.end_cursor.expect("a cursor");
    let newest = walk_page(Some(Sort::NEWEST), None, Some(5), None, None)
        .await
        .expect("a page");
    let time_cursor = newest.end_cursor.expect("a cursor");

    let forged = {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut json: serde_json::Value =
            serde_json::from_slice(&engine.decode(&time_cursor).expect("base64url")).expect("json");
        json["k"] = "yesterday".into();
        engine.encode(json.to_string())
    };
    let cases = [
        (
            Some(Sort::NAME_ASC),
            None,
            None,
            Some("not a cursor".to_owned()),
            None,
            "after",
        ),
        (
            Some(Sort::NEWEST),
            None,
            Some(5),
            Some(forged),
            None,
            "after",
        ),
        (
            Some(Sort::NEWEST),
            None,
            Some(5),
            Some(name_cursor.clone()),
            None,
            "after",
        ),
        (
            Some(Sort::NAME_ASC),
            None,
            Some(5),
            Some(name_cursor.clone()),
            Some(2),
            "page",
        ),
        (None, Some("muller"), Some(5), None, None, "sort"),
        (
            Some(Sort::RELEVANCE),
            Some("muller"),
            Some(5),
            None,
            None,
            "sort",
        ),
        (Some(Sort::NAME_ASC), None, Some(0), None, None, "first"),
        (Some(Sort::NAME_ASC), None, Some(101), None, None, "first"),
    ];
    for (sort, search, first, after, page, field) in cases {
        let refused = walk_page(sort.clone(), search, first, after, page)
            .await
            .refused("VALIDATION");
        assert_eq!(
            refused.fields(),
            [field],
            "{sort:?} {search:?} {first:?} {page:?}"
        );
    }

    // A numbered page hands out a cursor too, and a relevance page does not.
    let numbered = walk_page(Some(Sort::NAME_ASC), None, None, None, Some(1))
        .await
        .expect("a page");
    let continued = walk_page(
        Some(Sort::NAME_ASC),
        None,
        Some(20),
        numbered.end_cursor,
        None,
    )
    .await
    .expect("the next page by cursor");
    assert!(
        continued.items.is_empty(),
        "12 clients fit the first page of 20"
    );
    assert!(!numbered.has_next_page && !continued.has_next_page);
    let relevance = walk_page(None, Some("muller"), None, None, None)
        .await
        .expect("a search");
    assert!(!relevance.items.is_empty());
    assert_eq!(relevance.end_cursor, None);
}

async fn summary_matches_the_table(app: &TestApp, step: &str) {
    let listed = app
        .client_names(Role::Analyst, None, None, None, Some(1))
        .await
        .expect("a list");
    let s = &listed.summary;
    let counted: Vec<(String, i64)> =
        sqlx::query_as("select status, count(*) from clients group by status order by status")
            .fetch_all(&app.pool)
            .await
            .expect("counts");
    let of = |status: &str| {
        counted
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!(
        [s.active, s.inactive, s.on_hold, s.archived],
        [of("active"), of("inactive"), of("on-hold"), of("archived")],
        "after {step}"
    );
    assert_eq!(
        listed.page_info.total,
        counted.iter().map(|(_, n)| n).sum::<i64>(),
        "after {step}"
    );
}

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn the_status_counters_follow_every_change_to_clients(pool: PgPool) {
    let app = TestApp::new(pool).await;
    summary_matches_the_table(&app, "nothing").await;
    seed_ties(&app, 40).await;
    summary_matches_the_table(&app, "a multi-row insert").await;

    let ids: Vec<String> = futures::future::join_all((0..8).map(|i| {
        let app = &app;
        async move {
            app.create_named_client(&format!("Concurrent {i}"), vec![])
                .await
        }
    }))
    .await;
    summary_matches_the_table(&app, "concurrent creates").await;

    futures::future::join_all(ids.iter().enumerate().map(|(i, id)| {
        let app = &app;
        async move {
            app.deactivate_client(Role::Admin, id.clone(), "Counted".into(), None, i % 2 == 0)
                .await
                .expect("deactivated");
        }
    }))
    .await;
    summary_matches_the_table(&app, "concurrent deactivations and archivals").await;

    app.reactivate_client(Role::Admin, ids[0].clone())
        .await
        .expect("reactivated");
    summary_matches_the_table(&app, "a reactivation").await;

    sqlx::query(
        "update clients set status = 'on-hold' where status = 'active' and name like 'acme%'",
    )
    .execute(&app.pool)
    .await
    .expect("updated");
    sqlx::query("update clients set name = name || '.'")
        .execute(&app.pool)
        .await
        .expect("renamed");
    summary_matches_the_table(&app, "updates of many rows").await;
    sqlx::query("delete from clients where status = 'inactive' and name like 'Zeta%'")
        .execute(&app.pool)
        .await
        .expect("deleted");
    summary_matches_the_table(&app, "a delete").await;
}
