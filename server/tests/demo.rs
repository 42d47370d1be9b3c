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

    let again = clientele::demo::seed(&pool).await.expect("seeded again");
    assert_eq!((again.users_added, again.clients_added), (0, 0));
}
