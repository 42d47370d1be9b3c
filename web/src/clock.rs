//! The browser's calendar: today, now and the current quarter, in the browser's time zone,
//! as the form inputs write them.

/// Now as a `datetime-local` value.
pub fn local_now() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date(),
        now.get_hours(),
        now.get_minutes()
    )
}

/// Today as a `date` value (`2026-11-25`).
pub fn today() -> String {
    local_now().chars().take(10).collect()
}

/// The day `days` days before today as a `date` value, in the browser's time zone. The
/// arithmetic is in milliseconds as `f64`, as JavaScript keeps them (no 32-bit overflow).
pub fn days_ago(days: u32) -> String {
    let now = js_sys::Date::new_0().get_time();
    let then = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        now - f64::from(days) * 86_400_000.0,
    ));
    format!(
        "{:04}-{:02}-{:02}",
        then.get_full_year(),
        then.get_month() + 1,
        then.get_date()
    )
}

/// The first day of this year (`2026-01-01`).
pub fn start_of_year() -> String {
    format!("{:04}-01-01", js_sys::Date::new_0().get_full_year())
}

/// This quarter as a feedback period (`2026-Q4`).
pub fn current_quarter() -> String {
    let now = js_sys::Date::new_0();
    format!("{:04}-Q{}", now.get_full_year(), now.get_month() / 3 + 1)
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
