//! What a page loads, and the view that waits for it. In the browser a [`Loaded`] is a
//! `LocalResource` (it loads in the background and re-runs when the signals its fetcher
//! reads change). On the server, which renders a page's first paint, the fetcher runs once
//! at once (the server answers the app's queries in process, so the answer is there when
//! the future is first polled) and the value never changes.

use std::future::Future;

#[cfg(not(feature = "ssr"))]
use leptos::prelude::*;

/// Data a page loads.
#[cfg(not(feature = "ssr"))]
pub type Loaded<T> = LocalResource<T>;

/// Starts loading what `fetcher` fetches.
#[cfg(not(feature = "ssr"))]
pub fn load<T, Fut>(fetcher: impl Fn() -> Fut + 'static) -> Loaded<T>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    LocalResource::new(fetcher)
}

/// What [`WhenLoaded`] waits for: one [`Loaded`] or two at once (shown together, so the
/// second arriving later does not move the first).
pub trait Awaited: Copy + Send + Sync + 'static {
    /// The loaded value(s).
    type Value: Clone + Send + Sync + 'static;
    /// Waits for the value(s).
    fn wait(self) -> impl Future<Output = Self::Value> + Send;
    /// The value(s), if loaded.
    fn now(self) -> Option<Self::Value>;
}

impl<T: Clone + Send + Sync + 'static> Awaited for Loaded<T> {
    type Value = T;

    async fn wait(self) -> T {
        self.await
    }

    fn now(self) -> Option<T> {
        self.get_untracked()
    }
}

impl<A: Awaited, B: Awaited> Awaited for (A, B) {
    type Value = (A::Value, B::Value);

    async fn wait(self) -> Self::Value {
        (self.0.wait().await, self.1.wait().await)
    }

    fn now(self) -> Option<Self::Value> {
        Some((self.0.now()?, self.1.now()?))
    }
}

/// Shows `children` with the loaded value, `fallback` until it has loaded; while it loads
/// again the last value stays on the page.
#[cfg(not(feature = "ssr"))]
pub fn when_loaded<A, F, V, B, W>(resource: A, fallback: B, children: F) -> impl IntoView
where
    A: Awaited,
    F: Fn(A::Value) -> V + Clone + Send + 'static,
    V: IntoView + 'static,
    B: FnOnce() -> W + Send + 'static,
    W: IntoView + 'static,
{
    view! {
        <Transition fallback=fallback>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    let value = resource.wait().await;
                    children(value)
                })
            }}
        </Transition>
    }
}

#[cfg(feature = "ssr")]
pub use server::{Loaded, load, when_loaded};

#[cfg(feature = "ssr")]
mod server {
    use std::future::{Future, IntoFuture};

    use futures::FutureExt;
    use leptos::prelude::*;

    /// Data a page loads, loaded already (the server's first paint).
    pub struct Loaded<T: 'static>(RwSignal<Option<T>, LocalStorage>);

    impl<T> Clone for Loaded<T> {
        fn clone(&self) -> Self {
            *self
        }
    }

    impl<T> Copy for Loaded<T> {}

    /// Runs `fetcher` once, now. A fetcher that does not finish at once (it waits for
    /// something only a browser has) leaves the page incomplete, and the server does not
    /// send it.
    pub fn load<T, Fut>(fetcher: impl Fn() -> Fut + 'static) -> Loaded<T>
    where
        T: 'static,
        Fut: Future<Output = T> + 'static,
    {
        let value = fetcher().now_or_never();
        if value.is_none() {
            crate::ssr::incomplete();
        }
        Loaded(RwSignal::new_local(value))
    }

    impl<T: Clone + 'static> Loaded<T> {
        /// The value, if loaded.
        pub fn get(&self) -> Option<T> {
            self.0.get()
        }

        /// The value, if loaded, without tracking.
        pub fn get_untracked(&self) -> Option<T> {
            self.0.get_untracked()
        }
    }

    impl<T: 'static> Loaded<T> {
        /// Reads the value, if loaded.
        pub fn with<U>(&self, f: impl FnOnce(&Option<T>) -> U) -> U {
            self.0.with(f)
        }

        /// Replaces the value.
        pub fn set(&self, value: Option<T>) {
            self.0.set(value);
        }

        /// Nothing to do on the server: a first paint is not loaded twice.
        pub fn refetch(&self) {}
    }

    impl<T: Clone + 'static> IntoFuture for Loaded<T> {
        type Output = T;
        type IntoFuture = futures::future::Either<std::future::Ready<T>, std::future::Pending<T>>;

        fn into_future(self) -> Self::IntoFuture {
            match self.get_untracked() {
                Some(value) => futures::future::Either::Left(std::future::ready(value)),
                None => futures::future::Either::Right(std::future::pending()),
            }
        }
    }

    /// Shows `children` with the loaded value, `fallback` when there is none.
    pub fn when_loaded<A, F, V, B, W>(resource: A, fallback: B, children: F) -> impl IntoView
    where
        A: super::Awaited,
        F: Fn(A::Value) -> V + Clone + Send + 'static,
        V: IntoView + 'static,
        B: FnOnce() -> W + Send + 'static,
        W: IntoView + 'static,
    {
        match resource.now() {
            Some(value) => children(value).into_any(),
            None => fallback().into_any(),
        }
    }
}
