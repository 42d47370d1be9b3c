//! The workers every server runs: each drains the queue, then sleeps until a task is
//! announced or the poll interval passes (tasks retried later are found by the poll). On
//! shutdown a worker finishes the task it is running and stops.

use std::{sync::Arc, time::Duration};

use sqlx::{PgPool, postgres::PgListener};
use tokio::{
    sync::{Notify, watch},
    task::JoinHandle,
};

use super::{CHANNEL, TaskContext, run_next};

/// How often an idle worker looks for tasks that became due without an announcement.
const POLL: Duration = Duration::from_secs(5);

/// How long shutdown waits for running tasks.
const GRACE: Duration = Duration::from_secs(30);

/// This server's running workers.
pub struct Workers {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Lets each worker finish its task, then stops them (waiting at most 30 s).
    pub async fn stop(self) {
        self.stop.send_replace(true);
        let all = futures::future::join_all(self.handles);
        if tokio::time::timeout(GRACE, all).await.is_err() {
            tracing::warn!(
                "background workers were still busy at shutdown; their tasks will be retried"
            );
        }
    }
}

/// Starts `count` workers and the listener that wakes them.
pub fn spawn_workers(ctx: TaskContext, count: usize) -> Workers {
    let (stop, stopped) = watch::channel(false);
    let wake = Arc::new(Notify::new());
    let mut handles = Vec::with_capacity(count + 1);
    if count > 0 {
        handles.push(tokio::spawn(listen(
            ctx.pool.clone(),
            wake.clone(),
            stopped.clone(),
        )));
    }
    handles
        .extend((0..count).map(|_| tokio::spawn(work(ctx.clone(), wake.clone(), stopped.clone()))));
    Workers { stop, handles }
}

async fn listen(pool: PgPool, wake: Arc<Notify>, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            result = relay(&pool, &wake) => {
                if let Err(error) = result {
                    tracing::warn!(?error, "the task listener lost its connection; workers poll meanwhile");
                }
            }
            _ = stopped.wait_for(|&stop| stop) => return,
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn relay(pool: &PgPool, wake: &Notify) -> sqlx::Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        listener.recv().await?;
        wake.notify_waiters();
    }
}

async fn work(ctx: TaskContext, wake: Arc<Notify>, mut stopped: watch::Receiver<bool>) {
    while !*stopped.borrow() {
        // Registered before draining, so an announcement made while draining is not missed.
        let notified = wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        while !*stopped.borrow() {
            match run_next(&ctx).await {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    tracing::error!(?error, "the task queue cannot be read");
                    break;
                }
            }
        }
        tokio::select! {
            () = &mut notified => {}
            () = tokio::time::sleep(POLL) => {}
            _ = stopped.wait_for(|&stop| stop) => {}
        }
    }
}
