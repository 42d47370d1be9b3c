//! Client feedback's values: the period it covers and the 1–5 ratings, checked the same way
//! by the feedback form and the server.

use std::{fmt, str::FromStr};

/// The period a feedback covers: a quarter (`2026-Q3`) or a month (`2026-07`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeedbackPeriod {
    /// A quarter of a year, 1–4.
    Quarter {
        /// The year.
        year: u16,
        /// The quarter, 1–4.
        quarter: u8,
    },
    /// A month of a year, 1–12.
    Month {
        /// The year.
        year: u16,
        /// The month, 1–12.
        month: u8,
    },
}

impl FeedbackPeriod {
    /// The message of a period that is neither form.
    pub const MESSAGE: &'static str = "must be a quarter like 2026-Q3 or a month like 2026-07";
}

impl FromStr for FeedbackPeriod {
    type Err = &'static str;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (year, rest) = text.split_once('-').ok_or(Self::MESSAGE)?;
        let year: u16 = (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
            .then(|| year.parse().ok())
            .flatten()
            .filter(|y| *y >= 1900)
            .ok_or(Self::MESSAGE)?;
        let two_digits = rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_digit());
        if let Some(q) = rest.strip_prefix('Q') {
            match q {
                "1" | "2" | "3" | "4" => Ok(Self::Quarter {
                    year,
                    quarter: q.parse().map_err(|_| Self::MESSAGE)?,
                }),
                _ => Err(Self::MESSAGE),
            }
        } else if two_digits {
            let month: u8 = rest.parse().map_err(|_| Self::MESSAGE)?;
            (1..=12)
                .contains(&month)
                .then_some(Self::Month { year, month })
                .ok_or(Self::MESSAGE)
        } else {
            Err(Self::MESSAGE)
        }
    }
}

impl fmt::Display for FeedbackPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            Self::Month { year, month } => write!(f, "{year}-{month:02}"),
        }
    }
}

/// A rating from 1 (poor) to 5 (excellent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rating(u8);

impl Rating {
    /// The words of each rating, 1 to 5.
    pub const LABELS: [&'static str; 5] = ["Poor", "Fair", "Good", "Very good", "Excellent"];

    /// A rating from a whole number.
    pub fn parse(value: i64) -> Result<Self, &'static str> {
        u8::try_from(value)
            .ok()
            .filter(|v| (1..=5).contains(v))
            .map(Self)
            .ok_or("must be a whole number from 1 to 5")
    }

    /// The number, 1 to 5.
    pub fn value(self) -> u8 {
        self.0
    }

    /// The rating in words.
    pub fn label(self) -> &'static str {
        Self::LABELS[usize::from(self.0 - 1)]
    }
}

/// What a feedback rates, in the order the form, the tables, the charts and the reports
/// show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Criterion {
    /// How quickly we answered.
    Responsiveness,
    /// How well we kept them informed.
    Communication,
    /// How well we understood their requirements.
    RequirementsClarity,
    /// How fast decisions were made.
    DecisionSpeed,
    /// Overall satisfaction.
    OverallSatisfaction,
}

impl Criterion {
    /// Every criterion, in order.
    pub const ALL: [Self; 5] = [
        Self::Responsiveness,
        Self::Communication,
        Self::RequirementsClarity,
        Self::DecisionSpeed,
        Self::OverallSatisfaction,
    ];

    /// Its name, as people read it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Responsiveness => "Responsiveness",
            Self::Communication => "Communication",
            Self::RequirementsClarity => "Requirements clarity",
            Self::DecisionSpeed => "Decision speed",
            Self::OverallSatisfaction => "Overall satisfaction",
        }
    }

    /// Its GraphQL field (and input field) name, which also names it in
    /// `extensions.fields`.
    pub fn field(self) -> &'static str {
        match self {
            Self::Responsiveness => "responsiveness",
            Self::Communication => "communication",
            Self::RequirementsClarity => "requirementsClarity",
            Self::DecisionSpeed => "decisionSpeed",
            Self::OverallSatisfaction => "overallSatisfaction",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_quarters_or_months() {
        for (text, ok) in [
            ("2026-Q3", true),
            ("2026-07", true),
            (" 2026-12 ", true),
            ("2026-Q5", false),
            ("2026-Q0", false),
            ("2026-13", false),
            ("2026-00", false),
            ("2026-7", false),
            ("26-Q1", false),
            ("2026Q1", false),
            ("", false),
        ] {
            assert_eq!(text.parse::<FeedbackPeriod>().is_ok(), ok, "{text:?}");
        }
        assert_eq!(
            "2026-07".parse::<FeedbackPeriod>().map(|p| p.to_string()),
            Ok("2026-07".to_owned())
        );
    }

    #[test]
    fn ratings_are_one_to_five() {
        for (value, ok) in [
            (0, false),
            (1, true),
            (5, true),
            (6, false),
            (-1, false),
            (300, false),
        ] {
            assert_eq!(Rating::parse(value).is_ok(), ok, "{value}");
        }
        assert_eq!(Rating::parse(5).map(Rating::label), Ok("Excellent"));
    }
}
