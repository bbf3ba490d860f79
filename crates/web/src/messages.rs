//! What the web layer itself says: the error pages, the API's problem
//! documents, and the forms it checks before a use case does. Keyed, so a
//! Welsh catalogue can sit beside it; the use cases' messages are in each
//! capability's `app/src/<capability>/messages.rs`.

domain::messages! {
    /// Titles and explanations of the error pages.
    pub enum PageMessage {
        BadRequestTitle => "Something was wrong with the request",
        ForbiddenTitle => "You do not have permission to do this",
        ForbiddenBody => "Your role does not allow this. If you need it for your work, ask your service manager or an administrator.",
        ThrottledTitle => "Too many attempts",
        ThrottledBody { minutes: i64 } => "Wait {minutes} minute(s) and try again.",
        DuplicateTitle => "This person may already be known",
        DuplicateBody => "Go back and choose whether to link to the person already known or to add someone new.",
        InvalidTitle => "There is a problem",
        StorageTitle => "Waymark cannot save changes just now",
        StorageBody => "Nothing you entered has been saved. Go back, wait a minute and try again: your browser keeps what you typed. If it keeps happening, tell your administrator.",
        InternalTitle => "Sorry, there is a problem with Waymark",
        InternalBody => "Nothing you entered has been saved. Try again later. If it keeps happening, give this reference to your administrator.",
        AlreadySentTitle => "This form was already sent",
        AlreadySentBody => "What it asked for was done the first time it was sent, and has not been done again. Go back and reload the page to see it.",
        SentDifferentlyTitle => "Sent before with different content",
        SentDifferentlyBody => "A referral was received before under this reference, with different content. Nothing was changed.",
        NotFoundTitle => "Page not found",
        FormTooLarge => "The form was too large or could not be read.",
        UploadTooLarge { limit: String } => "The file was too large to attach (the limit is {limit}), or the upload was interrupted. Go back and attach a smaller copy.",
        RequestTooLarge { limit: String } => "The request is larger than Waymark accepts ({limit} for a document).",
        FormNotText => "The form was not valid text.",
        FormUnreadable => "The form could not be read: go back and try again.",
        FormExpired => "This form has expired or did not come from Waymark. Go back, reload the page and try again.",
        NotFoundBody => "If you typed the web address, check it is correct. If you followed a link, the record may not exist or may not be one you can see.",
    }
}

domain::messages! {
    /// Titles and details of the API's problem documents.
    pub enum ProblemMessage {
        InvalidTitle => "The request has invalid fields",
        InvalidDetail => "Correct the fields listed in errors and send it again.",
        DuplicateTitle => "This person may already be known",
        DuplicateDetail => "Send existing_person_id to link, or confirm_new_person: true.",
        NotFoundTitle => "Not found",
        NotFoundDetail => "No such record, or not one this token may see.",
        NoSuchEndpoint => "No such endpoint",
        AlreadySentTitle => "Already sent",
        AlreadySentDetail => "This request was made before and has not been made again.",
        SentDifferentlyTitle => "Sent before with different content",
        SentDifferentlyDetail => "A referral was received before under this sender's reference, with different content in the fields named. Send it unchanged to see the referral received, or use a new reference for a new referral.",
        SentDifferentlyField => "Differs from what was sent before under this reference",
        ForbiddenTitle => "Forbidden",
        ForbiddenDetail => "This token's scopes do not allow this.",
        ThrottledTitle => "Too many requests",
        ThrottledDetail { seconds: i64 } => "Try again in {seconds} seconds.",
        StorageTitle => "Storage unavailable",
        StorageDetail => "Nothing was changed. Send the same request again after Retry-After seconds.",
        InternalTitle => "Internal error",
        InternalDetail { reference: String } => "Nothing was changed. Quote reference {reference} to the administrator.",
        UnauthenticatedTitle => "Authentication required",
        UnauthenticatedDetail => "Send a live API token as 'Authorization: Bearer wm_…'.",
    }
}

domain::messages! {
    /// What the forms the web layer reads itself say.
    pub enum FormMessage {
        EnterEmail => "Enter your email address",
        EnterPassword => "Enter your password",
        SignInFailed => "The email address or password is not right. Check them and try again.",
        SignInThrottled { minutes: i64 } => "Too many attempts to sign in. Wait {minutes} minute(s) and try again.",
        EnterWorkingDays => "Enter a number of working days, like 2",
        WorkingDaysWhole => "Enter the working days as a whole number, like 2",
        NotARealDate { label: String } => "Enter {label} as a real date, for example 1 4 2026",
    }
}

domain::messages! {
    /// What a page says after a change. Every successful post redirects to
    /// the page it belongs to with `?done=<key>`, so a refresh repeats nothing.
    pub enum Done {
        AttemptRecorded => "The attempt has been recorded.",
        PreferenceSaved => "The safe-contact preference has been saved.",
        TriageRecorded => "The outcome has been recorded.",
        CaseAllocated => "The case has been allocated.",
        CasesAllocated => "The cases have been allocated.",
        CaseTaken => "The case is yours now.",
        CaseReopened => "The case has been reopened. Its earlier closure no longer counts in the return.",
        OnwardRecorded => "The onward referral has been recorded.",
        NeedsSaved => "The needs assessment has been saved.",
        RiskAssessed => "The risk assessment has been recorded.",
        RiskAssessmentWithdrawn => "The risk assessment has been withdrawn.",
        MaracReferred => "The case has been referred to the MARAC.",
        IncidentCorrected => "The incident has been corrected.",
        MaracReferralWithdrawn => "The referral has been withdrawn.",
        MaracReferralCorrected => "The referral has been corrected.",
        ActivityRecorded => "The time has been recorded.",
        ActivityCorrected => "The entry has been corrected.",
        DutyShiftAssigned => "The shift has been filled.",
        DutyShiftCleared => "The worker has been taken off the shift.",
        DutySwapAsked => "Your swap has been asked for. A manager will approve or refuse it.",
        DutySwapDecided => "The swap has been decided.",
        DutyRequestTaken => "The request has been taken.",
        DutyRequestActioned => "The first attempt has been recorded.",
        DutyCaseHandedOver => "The case has been handed over.",
        DutyRotaCreated => "The rota has been set up. Its services' managers can now plan its shifts.",
        DutyRotaCorrected => "The rota has been saved.",
        CallOutRecorded => "The call-out has been recorded.",
        FundingSourceCreated => "The funding source has been added. Set what it allocates each year below.",
        AllocationSet => "The allocation has been set.",
        DecisionDrafted => "The decision has been drafted. The chief finance officer and the monitoring officer can now record their approval.",
        DecisionAmended => "The decision has been amended. It is a draft again: the consultees' approvals are needed afresh.",
        DecisionConsulted => "Your approval has been recorded.",
        DecisionApproved => "The decision has been approved.",
        ContractCreated => "The contract has been set up.",
        PoolCreated => "The pool has been set up, with its funding source and this year's allocation.",
        PoolCorrected => "The pool has been corrected, with its funding source and allocation.",
        ObjectiveCreated => "The objective has been added. Contracts can now say they serve it.",
        ContractCorrected => "The contract has been corrected.",
        ObjectiveCorrected => "The objective has been corrected.",
        FundingSourceCorrected => "The funding source has been corrected.",
        PaymentRecorded => "The payment has been recorded.",
        NarrativeWritten => "The narrative has been saved.",
        ProgrammeCreated => "The programme has been set up. Its service's workers can now record call-outs.",
        ProgrammeCorrected => "The programme has been saved.",
        CallOutCorrected => "The call-out has been corrected.",
        BaselineImported => "The baseline has been imported.",
        MaracCreated => "The MARAC has been set up. Add its member agencies below.",
        MaracCorrected => "The MARAC has been saved.",
        MaracMeetingScheduled => "The meeting has been scheduled.",
        MaracAcknowledged => "Your acknowledgement has been recorded.",
        MaracAgendaMoved => "The agenda has been reordered.",
        MaracResearchAdded => "Your agency's research has been added.",
        MaracResearchCorrected => "The research has been corrected.",
        MaracActionAdded => "The action has been recorded.",
        MaracActionUpdated => "The action has been updated.",
        MaracOutcomeRecorded => "The outcome has been recorded.",
        MaracMinutesRecorded => "The minutes have been recorded.",
        SafetyPlanSaved => "The safety plan has been saved as a new version.",
        IncidentRecorded => "The incident has been recorded. Assess the risk again in the light of it.",
        ContactRecorded => "The contact has been recorded.",
        TaskAdded => "The task has been added.",
        TaskCompleted => "The task is done.",
        CaseClosed => "The case has been closed.",
        NoteAdded => "The note has been added.",
        DocumentAdded => "The document has been attached.",
        DocumentRemoved => "The document has been removed. Who removed it, when and why stay on the case.",
        LetterWritten => "The letter has been written and kept with the case's documents: download it to print.",
        PlanUpdated => "The support plan has been updated.",
        PersonLinked => "The person has been linked to the case.",
        AccountDisabled => "The account has been disabled and its sessions ended.",
        AccountEnabled => "The account has been enabled.",
        PasswordChanged => "The password has been changed and their sessions ended.",
        SecondFactorRemoved => "Their second factor has been removed. They will set up a new one when they next sign in, if their role needs it.",
        RoleGiven => "The role has been given.",
        RoleRemoved => "The role has been removed.",
        TeamChanged => "Their team has been changed.",
        DeadlineChanged => "The deadline has been changed. It applies to referrals received from now on; those already received keep their deadlines.",
        PersonCorrected => "The details have been corrected. The history below shows what changed.",
        ReferralCorrected => "The referral has been corrected, and its deadlines worked out again. The history below shows what changed.",
        AreaAdded => "The area has been added.",
        OrganisationAdded => "The organisation has been added.",
        CrimeTypeAdded => "The crime type is offered for new referrals.",
        CrimeTypeOffered => "The crime type is offered again for new referrals.",
        CrimeTypeRetired => "The crime type is retired: new referrals cannot use it, and referrals already recorded keep it.",
        PeopleMerged => "The records have been merged: this record now holds the referrals and cases of both.",
        PairDismissed => "Dismissed: they are kept as two people, and will not be offered as a pair again.",
    }
}

/// The `?done=` of a page reached after a change.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

impl DoneQuery {
    /// The notice to show, if the key is one of ours.
    pub fn notice(&self) -> Option<String> {
        self.done
            .as_deref()
            .and_then(Done::from_key)
            .map(|d| d.english())
    }
}

/// After a successful change: to the page it belongs to, saying what was done.
pub fn after_change(page: &str, done: Done) -> axum::response::Response {
    use axum::response::IntoResponse;
    // A list's address keeps its filters, so the key joins its query.
    let separator = if page.contains('?') { '&' } else { '?' };
    axum::response::Redirect::to(&format!("{page}{separator}done={}", done.key())).into_response()
}

domain::messages! {
    /// What is asked before a destructive change, what will happen, and the
    /// button that says yes.
    pub enum ConfirmMessage {
        ClearDutyShift => "Take this worker off the shift?",
        ClearDutyShiftConsequence => "The shift becomes a gap on the rota until someone else is put on it.",
        ClearDutyShiftYes => "Yes, take them off the shift",
        WithdrawRiskAssessment => "Withdraw this risk assessment as recorded in error?",
        WithdrawRiskAssessmentConsequence => "The case keeps it, marked withdrawn, with your reason. The case's current risk becomes that of the latest assessment still standing, and the figures no longer count it. To put an answer right, record a new assessment instead.",
        WithdrawRiskAssessmentYes => "Yes, withdraw the assessment",
        WithdrawMaracReferral => "Withdraw this referral to the MARAC?",
        WithdrawMaracReferralConsequence => "It leaves the meeting's agenda, the MARAC's figures and the flags other services see. The case keeps it, marked withdrawn, with your reason.",
        WithdrawMaracReferralYes => "Yes, withdraw the referral",
        RemoveDocument => "Remove this document?",
        RemoveDocumentConsequence => "Its file is deleted and cannot be downloaded again. The case keeps a line saying who removed it, when and why.",
        RemoveDocumentYes => "Yes, remove the document",
        CloseCase => "Close this case?",
        CloseCaseConsequence => "The case becomes read-only, with the outcomes and reason you chose.",
        CloseCaseYes => "Yes, close the case",
        DisableAccount => "Disable this account?",
        DisableAccountConsequence => "They are signed out everywhere at once and cannot sign in until the account is enabled again.",
        DisableAccountHoldsCases { count: i64 } => "They hold {count} open case(s), which stay theirs while the account is disabled. Reallocate them first, so no victim waits on someone who has left.",
        DisableAccountYes => "Yes, disable the account",
        RemoveRole => "Remove this role?",
        RemoveRoleConsequence => "They lose what the role lets them see and do, from their next page.",
        RemoveRoleYes => "Yes, remove the role",
        RevokeToken => "Revoke this API token?",
        RevokeTokenConsequence => "Every system using it is refused from now on. A revoked token cannot be used again: issue a new one if needed.",
        RevokeTokenYes => "Yes, revoke the token",
        RetireCrimeType => "Retire this crime type?",
        RetireCrimeTypeConsequence => "New referrals can no longer use it. Referrals already recorded keep it, and it can be offered again.",
        RetireCrimeTypeYes => "Yes, retire it",
        MergePeople => "Merge these two records?",
        MergePeopleConsequence => "Every referral and case of the other record moves to the one you keep, and its details fill any gaps. The other record stays, marked as merged, so its history can be read; the merge cannot be undone here.",
        MergePeopleYes => "Yes, merge the records",
    }
}
