//! How staff were in touch with a client, as the log and its filters name it; the jobs a
//! client hires for and the stages of their candidates; and the reports made of it.

/// The kind of a logged communication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CommunicationType {
    /// A phone call.
    Call,
    /// An email.
    Email,
    /// A meeting in person.
    Meeting,
    /// A video call.
    VideoCall,
    /// A note for the record.
    Note,
    /// Anything else.
    Other,
}

text_enum!(CommunicationType {
    Call => "call",
    Email => "email",
    Meeting => "meeting",
    VideoCall => "video_call",
    Note => "note",
    Other => "other",
});

impl CommunicationType {
    /// The type as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Call => "Call",
            Self::Email => "Email",
            Self::Meeting => "Meeting",
            Self::VideoCall => "Video call",
            Self::Note => "Note",
            Self::Other => "Other",
        }
    }
}

/// Where a job of the host system stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobStatus {
    /// Being written; not yet advertised.
    Draft,
    /// Open for candidates.
    Open,
    /// Paused.
    OnHold,
    /// Someone was hired.
    Filled,
    /// Closed without (more) hires.
    Closed,
}

impl JobStatus {
    /// The status as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Open => "Open",
            Self::OnHold => "On hold",
            Self::Filled => "Filled",
            Self::Closed => "Closed",
        }
    }
}

text_enum!(JobStatus {
    Draft => "draft",
    Open => "open",
    OnHold => "on-hold",
    Filled => "filled",
    Closed => "closed",
});

/// Where a candidate's application stands: the pipeline, in order, then rejected.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApplicationStage {
    /// Applied, not yet looked at.
    Applied,
    /// Passed the first screening.
    Screened,
    /// On the shortlist sent to the client.
    Shortlisted,
    /// Interviewed by the client.
    Interviewed,
    /// Made an offer.
    Offered,
    /// Hired.
    Hired,
    /// Not taken further.
    Rejected,
}

text_enum!(ApplicationStage {
    Applied => "applied",
    Screened => "screened",
    Shortlisted => "shortlisted",
    Interviewed => "interviewed",
    Offered => "offered",
    Hired => "hired",
    Rejected => "rejected",
});

impl ApplicationStage {
    /// The stage as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Applied => "Applied",
            Self::Screened => "Screened",
            Self::Shortlisted => "Shortlisted",
            Self::Interviewed => "Interviewed",
            Self::Offered => "Offered",
            Self::Hired => "Hired",
            Self::Rejected => "Rejected",
        }
    }
}

/// Where a rendered report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportStatus {
    /// Asked for; being rendered.
    Pending,
    /// Rendered and stored.
    Ready,
    /// Rendering failed (see the report's error).
    Failed,
}

text_enum!(ReportStatus {
    Pending => "pending",
    Ready => "ready",
    Failed => "failed",
});

/// What a report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportKind {
    /// A client's performance over a date range: feedback, jobs, important communications.
    Performance,
    /// A client's dashboard as it stood: figures, funnel, job statuses, 30-day activity.
    Dashboard,
}

text_enum!(ReportKind {
    Performance => "performance",
    Dashboard => "dashboard",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_keep_their_stored_and_wire_spellings() {
        for kind in CommunicationType::ALL {
            assert_eq!(kind.as_str().parse::<CommunicationType>().ok(), Some(*kind));
        }
        assert_eq!(CommunicationType::VideoCall.as_str(), "video_call");
        assert_eq!(
            serde_json::to_string(&CommunicationType::VideoCall)
                .ok()
                .as_deref(),
            Some("\"VIDEO_CALL\"")
        );
        assert_eq!(JobStatus::OnHold.as_str(), "on-hold");
    }
}
