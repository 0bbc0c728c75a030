//! Every error code a command can return, in one list: the UI acts on them (the sign-in screen
//! comes back on `auth.locked`, a field's message goes beside the field it names), so they are
//! exported to TypeScript as a union and a misspelt code fails to compile on either side.
use serde::Serialize;
use ts_rs::TS;

/// Declares the codes once: the enum, its TypeScript union (ts-rs reads the serde names) and
/// the stable string of each.
macro_rules! codes {
    ($( $variant:ident = $code:literal, )*) => {
        // A stable code for a failure, as the UI receives it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
        pub enum ErrorCode {
            $( #[serde(rename = $code)] $variant, )*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

codes! {
    // Signing in, the session and roles.
    AuthAlreadySetUp = "auth.already_set_up",
    AuthCurrentPasswordWrong = "auth.current_password_wrong",
    AuthForbidden = "auth.forbidden",
    AuthLocked = "auth.locked",
    AuthNotSetUp = "auth.not_set_up",
    AuthRecoveryKeyWrong = "auth.recovery_key_wrong",
    AuthSignInFailed = "auth.sign_in_failed",
    AuthSignedOut = "auth.signed_out",
    AuthSlowedDown = "auth.slowed_down",
    AuthUnknownWorker = "auth.unknown_worker",
    AuthDeactivated = "auth.deactivated",
    AuthNoKeyHere = "auth.no_key_here",
    // Workers: deactivating one.
    WorkersCannotDeactivateSelf = "workers.cannot_deactivate_self",
    WorkersLastAdministrator = "workers.last_administrator",
    // The register.
    ClientNotAllowed = "client.not_allowed",
    ClientNotFound = "client.not_found",
    // Custody, court, DRR, prison, appointments and notes.
    PathwayNotAllowed = "pathway.not_allowed",
    PathwayNotFound = "pathway.not_found",
    // The dashboard and returns.
    DashboardUnknownFigure = "dashboard.unknown_figure",
    ExportWriteFailed = "export.write_failed",
    // Sync by file: bundles, join files, conflicts.
    SyncBadSignature = "sync.bad_signature",
    SyncCannotDecrypt = "sync.cannot_decrypt",
    SyncCannotRevokeSelf = "sync.cannot_revoke_self",
    SyncConflictSettled = "sync.conflict_settled",
    SyncCorrupt = "sync.corrupt",
    SyncNewerVersion = "sync.newer_version",
    SyncNoIdentity = "sync.no_identity",
    SyncNotABundle = "sync.not_a_bundle",
    SyncNotAJoinFile = "sync.not_a_join_file",
    SyncOtherTeam = "sync.other_team",
    SyncPassphraseWrong = "sync.passphrase_wrong",
    SyncRevokedDevice = "sync.revoked_device",
    SyncTruncated = "sync.truncated",
    SyncUnknownDevice = "sync.unknown_device",
    SyncNotAllowed = "sync.not_allowed",
    SyncForged = "sync.forged",
    SyncFromHub = "sync.from_hub",
    SyncNotAHubFile = "sync.not_a_hub_file",
    SyncFutureClock = "sync.future_clock",
    SyncMissingChanges = "sync.missing_changes",
    SyncOlderVersion = "sync.older_version",
    SyncNotForThisLaptop = "sync.not_for_this_laptop",
    SyncKeyNotWaiting = "sync.key_not_waiting",
    // The encrypted database and its files.
    StoreDatabase = "store.database",
    StoreFiles = "store.files",
    StoreNewerSchema = "store.newer_schema",
    StoreNoEncryption = "store.no_encryption",
    StoreSerialise = "store.serialise",
    StoreWrongKey = "store.wrong_key",
    // Installing, upgrading, backing up and the faults of a laptop.
    StoreMigrationFailed = "store.migration_failed",
    StoreDiskFull = "store.disk_full",
    StoreReadOnly = "store.read_only",
    StoreCorrupt = "store.corrupt",
    StoreSlotsDamaged = "store.slots_damaged",
    StoreInUse = "store.in_use",
    BackupNotFound = "backup.not_found",
    BackupDamaged = "backup.damaged",
    BackupWriteFailed = "backup.write_failed",
    // A long task the worker stopped.
    TaskCancelled = "task.cancelled",
    // A form's field (or the form as a whole: `validation.several`).
    ValidationAcceptableWithoutReason = "validation.acceptable_without_reason",
    ValidationAfterOrder = "validation.after_order",
    ValidationAppointmentBeforeNotice = "validation.appointment_before_notice",
    ValidationAppointmentBeforeReception = "validation.appointment_before_reception",
    ValidationAppointmentNotMissed = "validation.appointment_not_missed",
    ValidationAssessmentBeforeReferral = "validation.assessment_before_referral",
    ValidationAssessmentNotCompleted = "validation.assessment_not_completed",
    ValidationBeforeOrder = "validation.before_order",
    ValidationBreachNotWarning = "validation.breach_not_warning",
    ValidationBreachWithoutFailure = "validation.breach_without_failure",
    ValidationBreachWithoutWarning = "validation.breach_without_warning",
    ValidationCompleteBeforeGiven = "validation.complete_before_given",
    ValidationConfirmationWithoutPositive = "validation.confirmation_without_positive",
    ValidationConsentReviewRange = "validation.consent_review_range",
    ValidationControlCharacters = "validation.control_characters",
    ValidationDateFormat = "validation.date_format",
    ValidationDateFuture = "validation.date_future",
    ValidationDecidedBeforeReturn = "validation.decided_before_return",
    ValidationDischargeBeforeReferral = "validation.discharge_before_referral",
    ValidationDischargeBeforeStart = "validation.discharge_before_start",
    ValidationDobFuture = "validation.dob_future",
    ValidationDobTooOld = "validation.dob_too_old",
    ValidationEndedBeforeOrder = "validation.ended_before_order",
    ValidationFollowUpBeforeInitial = "validation.follow_up_before_initial",
    ValidationFollowUpNotNow = "validation.follow_up_not_now",
    ValidationFollowUpNotRequired = "validation.follow_up_not_required",
    ValidationIdleLockRange = "validation.idle_lock_range",
    ValidationLicenceBeforeRelease = "validation.licence_before_release",
    ValidationLoginFormat = "validation.login_format",
    ValidationLoginTaken = "validation.login_taken",
    ValidationMonths = "validation.months",
    ValidationNextBeforeHearing = "validation.next_before_hearing",
    ValidationNhsCheckDigit = "validation.nhs_check_digit",
    ValidationNhsFormat = "validation.nhs_format",
    ValidationNhsNumberKnown = "validation.nhs_number_known",
    ValidationNoResult = "validation.no_result",
    ValidationNotInList = "validation.not_in_list",
    ValidationNoticeInFuture = "validation.notice_in_future",
    ValidationOrderLength = "validation.order_length",
    ValidationOutcomeInFuture = "validation.outcome_in_future",
    ValidationPasswordTooShort = "validation.password_too_short",
    ValidationPeriodOrder = "validation.period_order",
    ValidationPeriodTooLong = "validation.period_too_long",
    ValidationPhoneFormat = "validation.phone_format",
    ValidationPncCheckLetter = "validation.pnc_check_letter",
    ValidationPncFormat = "validation.pnc_format",
    ValidationPncKnown = "validation.pnc_known",
    ValidationPostcodeFormat = "validation.postcode_format",
    ValidationPrisonNumberFormat = "validation.prison_number_format",
    ValidationProviderViewsRequired = "validation.provider_views_required",
    ValidationReleaseBeforeReception = "validation.release_before_reception",
    ValidationRemainedWithoutAttended = "validation.remained_without_attended",
    ValidationRequired = "validation.required",
    ValidationReturnedBeforeFailure = "validation.returned_before_failure",
    ValidationReviewAfterOrder = "validation.review_after_order",
    ValidationReviewAgainNotFuture = "validation.review_again_not_future",
    ValidationReviewBeforeGiven = "validation.review_before_given",
    ValidationReviewInterval = "validation.review_interval",
    ValidationReviewRequired = "validation.review_required",
    ValidationReviewTooSoon = "validation.review_too_soon",
    ValidationRobWithoutConditionalBail = "validation.rob_without_conditional_bail",
    ValidationRolesRequired = "validation.roles_required",
    ValidationSamePrison = "validation.same_prison",
    ValidationSettingRange = "validation.setting_range",
    ValidationSeveral = "validation.several",
    ValidationTestBeforeArrest = "validation.test_before_arrest",
    ValidationTestInFuture = "validation.test_in_future",
    ValidationTestNotPositive = "validation.test_not_positive",
    ValidationTimeAmbiguous = "validation.time_ambiguous",
    ValidationTimeDoesNotExist = "validation.time_does_not_exist",
    ValidationTimeFormat = "validation.time_format",
    ValidationTimeFuture = "validation.time_future",
    ValidationTooLong = "validation.too_long",
    ValidationTransferBeforeReception = "validation.transfer_before_reception",
    ValidationTreatmentBeforeReferral = "validation.treatment_before_referral",
    ValidationTreatmentOutlastsOrder = "validation.treatment_outlasts_order",
    ValidationTriggerOrDiscretionary = "validation.trigger_or_discretionary",
    ValidationWarningBeforeFailure = "validation.warning_before_failure",
    ValidationWarningForAcceptable = "validation.warning_for_acceptable",
    ValidationWorkerCannotHoldCaseload = "validation.worker_cannot_hold_caseload",
    // A read stopped before it finished (the app, not the worker).
    AppInterrupted = "app.interrupted",
    // Made by the UI itself when a rejection is not a payload from here.
    UiUnexpected = "ui.unexpected",
    // Information governance.
    ValidationNameCharacters = "validation.name_characters",
    ValidationPasswordWeak = "validation.password_weak",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_written_once_as_area_dot_name() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert_eq!(serde_json::to_value(code).unwrap(), s, "serialised as its code");
            let (area, name) = s.split_once('.').expect("area.name");
            assert!(!area.is_empty() && !name.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '_'), "{s}");
        }
    }
}
