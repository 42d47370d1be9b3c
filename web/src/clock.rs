//! The browser's calendar: today, now and the current quarter, in the browser's time zone,
//! as the form inputs write them. On the server (a page's first paint) the calendar is
//! UTC's; the app, taking over, fills the forms in the browser's own.

#[cfg(feature = "ssr")]
pub use server::{current_quarter, days_ago, local_now, sleep, start_of_year, today};

#[cfg(feature = "ssr")]
mod server {
    use std::time::{SystemTime, UNIX_EPOCH};

    /// Seconds since 1970 in UTC.
    fn now_seconds() -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
    }

    /// (year, month 1–12, day) of a day counted from 1970-01-01 (the proleptic Gregorian
    /// calendar; Howard Hinnant's `civil_from_days`).
    fn civil(days: i64) -> (i64, i64, i64) {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    fn date(days: i64) -> String {
        let (y, m, d) = civil(days);
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Now as a `datetime-local` value.
    pub fn local_now() -> String {
        let now = now_seconds();
        let minutes = now.rem_euclid(86_400) / 60;
        format!(
            "{}T{:02}:{:02}",
            date(now.div_euclid(86_400)),
            minutes / 60,
            minutes % 60
        )
    }

    /// Today as a `date` value.
    pub fn today() -> String {
        date(now_seconds().div_euclid(86_400))
    }

    /// The day `days` days before today as a `date` value.
    pub fn days_ago(days: u32) -> String {
        date(now_seconds().div_euclid(86_400) - i64::from(days))
    }

    /// The first day of this year.
    pub fn start_of_year() -> String {
        let (year, _, _) = civil(now_seconds().div_euclid(86_400));
        format!("{year:04}-01-01")
    }

    /// This quarter as a feedback period.
    pub fn current_quarter() -> String {
        let (year, month, _) = civil(now_seconds().div_euclid(86_400));
        format!("{year:04}-Q{}", (month - 1) / 3 + 1)
    }

    /// A server render waits for nothing: what would wait never finishes.
    pub async fn sleep(_ms: i32) {
        std::future::pending::<()>().await;
    }

    #[cfg(test)]
    mod tests {
        use super::civil;

        #[test]
        fn days_become_dates() {
            assert_eq!(civil(0), (1970, 1, 1));
            assert_eq!(civil(-1), (1969, 12, 31));
            assert_eq!(civil(11_016), (2000, 2, 29));
            assert_eq!(civil(20_794), (2026, 12, 7));
            assert_eq!(civil(20_816), (2026, 12, 29));
        }
    }
}

/// Now as a `datetime-local` value.
#[cfg(not(feature = "ssr"))]
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
#[cfg(not(feature = "ssr"))]
pub fn today() -> String {
    local_now().chars().take(10).collect()
}

/// The day `days` days before today as a `date` value, in the browser's time zone. The
/// arithmetic is in milliseconds as `f64`, as JavaScript keeps them (no 32-bit overflow).
#[cfg(not(feature = "ssr"))]
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
#[cfg(not(feature = "ssr"))]
pub fn start_of_year() -> String {
    format!("{:04}-01-01", js_sys::Date::new_0().get_full_year())
}

/// This quarter as a feedback period (`2026-Q4`).
#[cfg(not(feature = "ssr"))]
pub fn current_quarter() -> String {
    let now = js_sys::Date::new_0();
    format!("{:04}-Q{}", now.get_full_year(), now.get_month() / 3 + 1)
}

/// Waits `ms` milliseconds without blocking the page.
#[cfg(not(feature = "ssr"))]
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
