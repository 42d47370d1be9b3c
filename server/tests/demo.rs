//! The demo data goes through the services, as staff requests would.

use sqlx::PgPool;

#[sqlx::test(migrator = "clientele::db::MIGRATOR")]
async fn demo_data_is_loaded_through_the_services_with_its_audit_trail_and_only_once(pool: PgPool) {
    let first = clientele::demo::seed(&pool).await.expect("seeded");
    assert_eq!((first.users_added, first.clients_added), (7, 60));

    let by_status: Vec<(String, i64, i64)> = sqlx::query_as(
        r#"
        select c.status,
               count(*),
               count(*) filter (where exists (
                   select 1 from audit_log a
                   where a.entity_id = c.id
                     and a.action = case c.status when 'inactive' then 'client.deactivated'
                                                  when 'archived' then 'client.archived'
                                                  else 'client.created' end))
        from clients c
        group by c.status
        order by c.status
        "#,
    )
    .fetch_all(&pool)
    .await
    .expect("statuses");
    assert_eq!(
        by_status,
        [
            ("active".to_owned(), 36, 36),
            ("archived".to_owned(), 6, 6),
            ("inactive".to_owned(), 6, 6),
            ("on-hold".to_owned(), 12, 12),
        ],
        "every client is audited, deactivations included"
    );

    let (hiring, pool_jobs, candidates, off_path, days): (i64, i64, i64, i64, i64) =
        sqlx::query_as(
            r#"
            select (select count(distinct client_id) from jobs where client_id is not null),
                   (select count(*) from jobs where client_id is null and status = 'open'),
                   (select count(*) from candidates),
                   (select count(*) from applications a
                    where a.stage is distinct from (
                        select h.stage from application_stage_history h
                        where h.application_id = a.id
                        order by h.entered_at desc limit 1)),
                   (select count(distinct date) from client_analytics)
            "#,
        )
        .fetch_one(&pool)
        .await
        .expect("jobs");
    assert_eq!(hiring, 48, "every active and on-hold client has jobs");
    assert_eq!(
        pool_jobs,
        clientele::demo::POOL_JOBS as i64,
        "open jobs wait to be linked"
    );
    assert!(candidates > 200, "{candidates} candidates");
    assert_eq!(off_path, 0, "each application's last move is its stage");
    assert_eq!(days, clientele::demo::ANALYTICS_DAYS);
    let filled_late: i64 = sqlx::query_scalar(
        "select count(*) from jobs where filled_at is not null and filled_at < opened_at",
    )
    .fetch_one(&pool)
    .await
    .expect("dates");
    assert_eq!(filled_late, 0, "no job is filled before it opened");

    let again = clientele::demo::seed(&pool).await.expect("seeded again");
    assert_eq!(
        (again.users_added, again.clients_added, again.jobs_added),
        (0, 0, 0)
    );
    let candidates_again: i64 = sqlx::query_scalar("select count(*) from candidates")
        .fetch_one(&pool)
        .await
        .expect("candidates");
    assert_eq!(
        candidates_again, candidates,
        "a second run adds no candidates"
    );
}
