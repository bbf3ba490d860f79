//! Every kind of audit event, with the stable name it is stored under. The
//! names are part of the log's meaning: never rename one; add a new one.

macro_rules! audit_actions {
    ($($variant:ident => $code:literal,)*) => {
        /// What an audit event records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($variant,)*
        }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)*];

            /// The stable name stored in the log.
            pub fn code(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $code,)*
                }
            }

            /// Whether this event records a read of personal data, rather
            /// than a change.
            pub fn is_read(self) -> bool {
                matches!(
                    self,
                    AuditAction::PersonViewed
                        | AuditAction::UserViewed
                        | AuditAction::CaseNoteRevealed
                        | AuditAction::PeopleSearched
                        | AuditAction::ReferralProgressRead
                        | AuditAction::DocumentDownloaded
                        | AuditAction::PossibleDuplicateViewed
                        | AuditAction::RiskAssessmentViewed
                        | AuditAction::MaracMeetingViewed
                        | AuditAction::MaracCaseViewed
                        | AuditAction::DutyRequestsViewed
                        | AuditAction::CallOutsViewed
                        | AuditAction::CallOutViewed
                )
            }
        }
    };
}

audit_actions! {
    AreaCreated => "area.created",
    CalendarImported => "calendar.imported",
    CaseActionAdded => "case.action_added",
    CaseAllocated => "case.allocated",
    CaseClosed => "case.closed",
    CaseReopened => "case.reopened",
    CaseContactRecorded => "case.contact_recorded",
    CaseGoalAdded => "case.goal_added",
    CaseNeedsAssessed => "case.needs_assessed",
    CaseNoteAdded => "case.note_added",
    CaseNoteRevealed => "case.note_revealed",
    CaseOpened => "case.opened",
    CasePersonLinked => "case.person_linked",
    CaseReferredOn => "case.referred_on",
    CaseReferredOnWithoutConsent => "case.referred_on_without_consent",
    CaseTaskAdded => "case.task_added",
    CaseTaskDone => "case.task_done",
    ClockSet => "clock.set",
    CrimeTypeSet => "crime_type.set",
    DemoGenerated => "demo.generated",
    DocumentAdded => "document.added",
    DocumentDownloaded => "document.downloaded",
    DocumentRemoved => "document.removed",
    LetterWritten => "letter.written",
    GrantAdded => "grant.added",
    GrantRemoved => "grant.removed",
    LoginFailed => "login.failed",
    LoginPasswordAccepted => "login.password_accepted",
    LoginSecondFactorFailed => "login.second_factor_failed",
    LoginSucceeded => "login.succeeded",
    Logout => "logout",
    OrganisationCreated => "organisation.created",
    PeopleSearched => "people.searched",
    PersonContactPreferenceSet => "person.contact_preference_set",
    IncidentRecorded => "incident.recorded",
    IncidentCorrected => "incident.corrected",
    ActivityRecorded => "activity.recorded",
    ActivityCorrected => "activity.corrected",
    DutyRotaCreated => "duty.rota_created",
    DutyShiftAssigned => "duty.shift_assigned",
    DutyShiftCleared => "duty.shift_cleared",
    DutySwapAsked => "duty.swap_asked",
    DutyRequestTaken => "duty.request_taken",
    DutyRequestActioned => "duty.request_actioned",
    FundingSourceCreated => "commissioning.source_created",
    FundingSourceCorrected => "commissioning.source_corrected",
    BudgetSet => "commissioning.budget_set",
    DecisionDrafted => "decision.drafted",
    DecisionAmended => "decision.amended",
    DecisionConsulted => "decision.consulted",
    DecisionApproved => "decision.approved",
    ObjectiveCreated => "commissioning.objective_created",
    ObjectiveCorrected => "commissioning.objective_corrected",
    PoolCreated => "commissioning.pool_created",
    PoolCorrected => "commissioning.pool_corrected",
    ContractCreated => "contract.created",
    ContractCorrected => "contract.corrected",
    PaymentRecorded => "contract.payment_recorded",
    NarrativeWritten => "contract.narrative_written",
    FiguresKept => "reports.figures_kept",
    ProgrammeCreated => "programme.created",
    ProgrammeCorrected => "programme.corrected",
    ProgrammeBaselineImported => "programme.baseline_imported",
    CallOutRecorded => "programme.call_out_recorded",
    CallOutCorrected => "programme.call_out_corrected",
    CallOutsViewed => "programme.call_outs_viewed",
    CallOutViewed => "programme.call_out_viewed",
    DutyCaseHandedOver => "duty.case_handed_over",
    DutyRotaCorrected => "duty.rota_corrected",
    DutyRequestsViewed => "duty.requests_viewed",
    DutySwapDecided => "duty.swap_decided",
    MaracCreated => "marac.created",
    MaracCorrected => "marac.corrected",
    MaracMeetingScheduled => "marac.meeting_scheduled",
    MaracReferralMade => "marac.referral_made",
    MaracReferralWithdrawn => "marac.referral_withdrawn",
    MaracReferralCorrected => "marac.referral_corrected",
    MaracConfidentialityAcknowledged => "marac.confidentiality_acknowledged",
    MaracAgendaOrdered => "marac.agenda_ordered",
    MaracMeetingViewed => "marac.meeting_viewed",
    MaracCaseViewed => "marac.case_viewed",
    MaracResearchAdded => "marac.research_added",
    MaracResearchCorrected => "marac.research_corrected",
    MaracActionAdded => "marac.action_added",
    MaracActionUpdated => "marac.action_updated",
    MaracOutcomeRecorded => "marac.outcome_recorded",
    MaracMinutesRecorded => "marac.minutes_recorded",
    PersonCreated => "person.created",
    PersonViewed => "person.viewed",
    PersonCorrected => "person.corrected",
    PersonMerged => "person.merged",
    PossibleDuplicatesFound => "possible_duplicate.found",
    PossibleDuplicateViewed => "possible_duplicate.viewed",
    PossibleDuplicateDismissed => "possible_duplicate.dismissed",
    ReferralCorrected => "referral.corrected",
    RiskAssessed => "risk.assessed",
    RiskAssessmentViewed => "risk.assessment_viewed",
    RiskAssessmentWithdrawn => "risk.assessment_withdrawn",
    RiskBandsSet => "risk.bands_set",
    RiskEscalationSet => "risk.escalation_set",
    RiskTemplateImported => "risk.template_imported",
    ReferralProgressRead => "referral.progress_read",
    ReferralContactAttempted => "referral.contact_attempted",
    ReferralReceived => "referral.received",
    ReferralTriaged => "referral.triaged",
    SafetyPlanSaved => "safety_plan.saved",
    ServiceCreated => "service.created",
    ServiceUpdated => "service.updated",
    TeamCreated => "team.created",
    TeamRenamed => "team.renamed",
    TokenCreated => "token.created",
    TokenRateSet => "token.rate_set",
    TokenRevoked => "token.revoked",
    UserCreated => "user.created",
    UserDisabled => "user.disabled",
    UserEnabled => "user.enabled",
    UserPasswordChanged => "user.password_changed",
    UserPasswordReset => "user.password_reset",
    UserSecondFactorEnrolled => "user.second_factor_enrolled",
    UserSecondFactorReset => "user.second_factor_reset",
    UserTeamChanged => "user.team_changed",
    UserViewed => "user.viewed",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lower_case() {
        let mut seen = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            let code = action.code();
            assert!(seen.insert(code), "{code} twice");
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'),
                "{code}"
            );
        }
    }

    #[test]
    fn names_stored_in_logs_never_change() {
        // A sample of names already in logs: renaming any breaks their meaning.
        assert_eq!(AuditAction::PersonViewed.code(), "person.viewed");
        assert_eq!(AuditAction::ReferralReceived.code(), "referral.received");
        assert_eq!(AuditAction::CaseNoteRevealed.code(), "case.note_revealed");
        assert_eq!(AuditAction::LoginFailed.code(), "login.failed");
    }
}
