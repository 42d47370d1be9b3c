//! Roles and the role matrix of DESIGN.md, in one place. The server enforces it; the app
//! reads the same matrix to decide which buttons to show.

/// A staff member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// Runs the system: everything, including deactivation and bulk operations.
    Admin,
    /// Manages client accounts and finalizes feedback.
    Manager,
    /// Works with clients day to day: logs communications.
    Recruiter,
    /// Reads everything, changes nothing.
    Analyst,
}

text_enum!(Role {
    Admin => "admin",
    Manager => "manager",
    Recruiter => "recruiter",
    Analyst => "analyst",
});

/// Something a role may or may not do; `allows` is the role matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read clients, contacts, jobs, dashboards, analytics, communications and staff.
    Read,
    /// Create and update clients, manage contacts.
    ManageClients,
    /// Deactivate and reactivate clients.
    DeactivateClients,
    /// Log communications, upload attachments, mark important, set follow-ups.
    LogCommunications,
    /// Download communication attachments.
    DownloadAttachments,
    /// Submit and list feedback, generate performance reports.
    ManageFeedback,
    /// Finalize feedback.
    FinalizeFeedback,
    /// Link and unlink jobs.
    LinkJobs,
    /// Create and change jobs of the host system.
    ManageJobs,
    /// Add candidates, apply them to jobs and move them through the pipeline.
    ManagePipeline,
    /// Run background work by hand and see the queue (analytics aggregation).
    OperateQueue,
    /// Bulk operations on clients.
    BulkOperations,
    /// Add staff accounts.
    ManageUsers,
    /// Read the audit log.
    ReadAuditLog,
    /// Create, list and revoke service tokens.
    ManageServiceTokens,
}

impl Permission {
    /// Whether `role` holds this permission.
    pub fn allows(self, role: Role) -> bool {
        use Role::{Admin, Manager, Recruiter};
        match self {
            Self::Read => true,
            Self::ManageClients | Self::ManageFeedback | Self::LinkJobs | Self::ManageJobs => {
                matches!(role, Admin | Manager)
            }
            Self::DeactivateClients
            | Self::BulkOperations
            | Self::ManageUsers
            | Self::OperateQueue
            | Self::ReadAuditLog
            | Self::ManageServiceTokens => role == Admin,
            Self::LogCommunications | Self::DownloadAttachments | Self::ManagePipeline => {
                matches!(role, Admin | Manager | Recruiter)
            }
            Self::FinalizeFeedback => role == Manager,
        }
    }

    /// The roles that hold this permission.
    pub fn roles(self) -> impl Iterator<Item = Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(move |role| self.allows(*role))
    }
}

#[cfg(test)]
mod tests {
    use super::{Permission::*, Role::*, *};

    #[test]
    fn the_matrix_matches_the_design() {
        let table: [(Permission, [bool; 4]); 15] = [
            // admin, manager, recruiter, analyst
            (Read, [true, true, true, true]),
            (ManageClients, [true, true, false, false]),
            (DeactivateClients, [true, false, false, false]),
            (LogCommunications, [true, true, true, false]),
            (DownloadAttachments, [true, true, true, false]),
            (ManageFeedback, [true, true, false, false]),
            (FinalizeFeedback, [false, true, false, false]),
            (LinkJobs, [true, true, false, false]),
            (ManageJobs, [true, true, false, false]),
            (ManagePipeline, [true, true, true, false]),
            (OperateQueue, [true, false, false, false]),
            (BulkOperations, [true, false, false, false]),
            (ManageUsers, [true, false, false, false]),
            (ReadAuditLog, [true, false, false, false]),
            (ManageServiceTokens, [true, false, false, false]),
        ];
        for (permission, expected) in table {
            for (role, allowed) in [Admin, Manager, Recruiter, Analyst]
                .into_iter()
                .zip(expected)
            {
                assert_eq!(
                    permission.allows(role),
                    allowed,
                    "{permission:?} for {role:?}"
                );
            }
        }
    }

    #[test]
    fn roles_round_trip_through_their_stored_and_wire_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().ok(), Some(*role));
        }
        assert!("superuser".parse::<Role>().is_err());
        assert_eq!(
            serde_json::to_string(&Role::Recruiter).ok().as_deref(),
            Some("\"RECRUITER\"")
        );
    }
}
