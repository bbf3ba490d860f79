//! Preparing a referral: routing, the permission, validation of every field,
//! the person (linked, new, or possibly already known) and the Victims' Code
//! deadlines. Nothing is written here.

use domain::calendar::Nation;
use domain::journey::ReferralSource;
use domain::policy::{self, Action, Actor, Visibility};
use domain::validation::{FieldErrors, Lines, text};
use domain::victims_code::{self, ClockStart, Consent, ConsentRule, EnhancedReason};
use jiff::civil::Date;
use store::people::{ContactPreference, NewPerson, Person};
use store::referrals::{NewReferral, Referral};

use crate::clock::instant_text;
use crate::directory::place_of_service;
use crate::{App, AppError, Result};

use super::dates::Dates;
use super::person::new_person;
use super::*;
use crate::referrals::messages::ReferralMessage;
use domain::values::CrimeReference;

/// A referral checked and ready to write.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) service: store::directory::Service,
    /// Safe-contact preferences said at intake, for the person.
    pub(crate) preferences: Vec<ContactPreference>,
    pub(crate) new_person: Option<NewPerson>,
    pub(crate) referral: NewReferral,
    pub(crate) received_year: i16,
    /// Link the new person to someone the service surely knows (the same
    /// name and date of birth) rather than create them: decided when the
    /// referral is written, under the writer's lock, so two referrals of
    /// one new victim arriving together make one person.
    pub(crate) links_sure_match: bool,
}

pub(crate) enum Prepare {
    Ready(Box<Prepared>),
    /// The sender's reference was received before.
    AlreadyReceived(Box<Referral>),
}

/// A referral's own details, checked.
pub(super) struct Checked {
    /// How the victim may and may not be contacted, said at intake.
    pub(super) preferences: Vec<ContactPreference>,
    account: Option<String>,
    consent_how: Option<String>,
    consent_by: Option<String>,
    crime: Crime,
    crime_reference: Option<CrimeReference>,
    pub(super) dates: Dates,
    reasons: Vec<EnhancedReason>,
}

/// The longest account of what happened that is kept.
pub const ACCOUNT_LIMIT: usize = 20_000;

/// The longest sender's reference: a police feed's or partner system's id.
pub const SENDER_REFERENCE_LIMIT: usize = 100;

/// The longest short note beside a choice (safe contact, consent).
const NOTES_LIMIT: usize = 1_000;

/// The channels said to be safe and unsafe at intake, as preferences; a
/// channel cannot be both.
fn safe_contact(input: &ReferralInput, errors: &mut FieldErrors) -> Vec<ContactPreference> {
    let notes = text(
        errors,
        "safe_contact_notes",
        &input.safe_contact_notes,
        "the notes on safe contact",
        NOTES_LIMIT,
        Lines::Many,
    );
    let mut preferences: Vec<ContactPreference> = Vec::new();
    for (field, codes, safe) in [
        ("safe_channels", &input.safe_channels, true),
        ("unsafe_channels", &input.unsafe_channels, false),
    ] {
        for code in codes {
            let Some(channel) = domain::journey::Channel::parse(code.trim()) else {
                errors.add(field, ReferralMessage::ChooseChannel);
                continue;
            };
            if preferences.iter().any(|p| p.channel == channel.code()) {
                errors.add(
                    "unsafe_channels",
                    ReferralMessage::ChannelBothSafeAndUnsafe {
                        channel: channel.label().to_lowercase(),
                    },
                );
                continue;
            }
            preferences.push(ContactPreference {
                channel: channel.code().to_string(),
                safe: i64::from(safe),
                safe_times: None,
                notes: notes.clone(),
            });
        }
    }
    preferences
}

/// What the crime fields say, once valid.
pub(super) struct Crime {
    area_id: Option<String>,
    consent: Option<Consent>,
    /// The reason for enhanced rights the crime type carries, if any.
    enhanced_reason: Option<EnhancedReason>,
}

/// The Victims' Code deadlines a referral is given.
pub(super) struct DueDates {
    passed: Option<Date>,
    information: Date,
    contact: Date,
}

/// The police's crime reference, if given, read once.
fn crime_reference(input: &ReferralInput, errors: &mut FieldErrors) -> Option<CrimeReference> {
    let given = optional(&input.crime_reference)?;
    CrimeReference::parse(&given)
        .map_err(|refusal| errors.add("crime_reference", refusal.to_string()))
        .ok()
}

impl App {
    /// Checks a referral and works out everything to write, without writing.
    pub(crate) async fn prepare_referral(
        &self,
        actor: &Actor,
        input: &ReferralInput,
        choice: &PersonChoice,
        lookups: &mut Lookups,
    ) -> Result<Prepare> {
        let service = self.destination(actor, input, lookups).await?;
        let sender_reference = optional(&input.sender_reference);
        if let Some((existing, held)) = self
            .already_received(actor, sender_reference.as_deref(), lookups)
            .await?
        {
            let differ =
                super::resend::differences(held.as_deref(), &super::resend::content_of(input));
            if !differ.is_empty() {
                return Err(AppError::SentDifferently(differ));
            }
            return Ok(Prepare::AlreadyReceived(Box::new(existing)));
        }

        let mut errors = FieldErrors::new();
        let checked = self.check_details(input, lookups, &mut errors).await?;
        let (existing_person, new_person) = self
            .person_of(input, choice, &service, checked.dates.born, &mut errors)
            .await?;
        errors.into_result().map_err(AppError::Invalid)?;

        // Offer to link before creating a second record of the same person.
        if let Some(new) = &new_person
            && !choice.confirm_new_person
        {
            let matches =
                store::people::possible_duplicates(&mut *self.db.conn().await?, &service.id, new)
                    .await?;
            if !matches.is_empty() {
                return Err(AppError::PossibleDuplicates(matches));
            }
        }

        let preferences = checked.preferences.clone();
        let mut referral = self
            .stored_referral(input, checked, &service, lookups)
            .await?;
        referral.person_id = existing_person.map(|p| p.id).unwrap_or_default();
        referral.sender_id = sender_reference
            .as_ref()
            .map(|_| actor.organisation_id.clone());
        referral.sender_content = sender_reference
            .as_ref()
            .map(|_| super::resend::content_of(input));
        referral.sender_reference = sender_reference;
        referral.created_by = Some(actor.id.clone());
        let received_year = referral
            .received_on
            .parse::<Date>()
            .map(|d| d.year())
            .unwrap_or_default();
        Ok(Prepare::Ready(Box::new(Prepared {
            service,
            preferences,
            new_person,
            referral,
            received_year,
            links_sure_match: choice.links_sure_matches,
        })))
    }

    /// Checks the referral's own details (not who it is about or who sent
    /// it): source, crime, reference, dates and enhanced rights.
    pub(super) async fn check_details(
        &self,
        input: &ReferralInput,
        lookups: &mut Lookups,
        errors: &mut FieldErrors,
    ) -> Result<Checked> {
        if ReferralSource::parse(input.source.trim()).is_none() {
            errors.add("source", ReferralMessage::ChooseWhereReferralCame);
        }
        let crime = self.check_crime(input, lookups, errors).await?;
        let crime_reference = crime_reference(input, errors);
        let dates = self.check_dates(input, errors);
        let reasons = enhanced_reasons(input, crime.enhanced_reason, &dates, errors);
        let account = text(
            errors,
            "account",
            &input.account,
            "the account of what happened",
            ACCOUNT_LIMIT,
            Lines::Many,
        );
        text(
            errors,
            "sender_reference",
            &input.sender_reference,
            "the sender's reference",
            SENDER_REFERENCE_LIMIT,
            Lines::One,
        );
        let consent_how = text(
            errors,
            "consent_how",
            &input.consent_how,
            "how consent was given",
            NOTES_LIMIT,
            Lines::Many,
        );
        let consent_by = text(
            errors,
            "consent_by",
            &input.consent_by,
            "who recorded consent",
            200,
            Lines::One,
        );
        let preferences = safe_contact(input, errors);
        Ok(Checked {
            preferences,
            account,
            consent_how,
            consent_by,
            crime,
            crime_reference,
            dates,
            reasons,
        })
    }

    /// The referral's details as stored, with its deadlines worked out; who
    /// it is about and who sent it are the caller's to fill in.
    pub(super) async fn stored_referral(
        &self,
        input: &ReferralInput,
        checked: Checked,
        service: &store::directory::Service,
        lookups: &mut Lookups,
    ) -> Result<NewReferral> {
        let Checked {
            account,
            consent_how,
            consent_by,
            crime,
            crime_reference,
            dates,
            reasons,
            ..
        } = checked;
        let enhanced = !reasons.is_empty();
        let due = self.due_dates(service, lookups, &dates, enhanced).await?;
        Ok(NewReferral {
            id: String::new(),
            reference: String::new(),
            service_id: service.id.clone(),
            person_id: String::new(),
            source: input.source.trim().to_string(),
            sender_id: None,
            sender_reference: None,
            sender_content: None,
            received_at: instant_text(dates.received_at),
            received_on: dates.received_on.to_string(),
            area_id: crime.area_id,
            crime_reported_on: dates.reported.map(|d| d.to_string()),
            crime_reference: crime_reference.map(CrimeReference::into_string),
            crime_type: input.crime_type.trim().to_string(),
            incident_date: dates.incident.map(|d| d.to_string()),
            account,
            consent: crime
                .consent
                .map(|c| c.code())
                .unwrap_or("not_asked")
                .to_string(),
            consent_recorded_on: dates.consent_on.map(|d| d.to_string()),
            consent_how,
            consent_by,
            enhanced_reasons: reasons
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(" "),
            enhanced: i64::from(enhanced),
            passed_due_on: due.passed.map(|d| d.to_string()),
            information_due_on: due.information.to_string(),
            contact_due_on: due.contact.to_string(),
            created_by: None,
            created_at: String::new(),
        })
    }

    /// The referral the sender already sent under this reference, if any
    /// (unless the caller checked all of a batch's references at once).
    async fn already_received(
        &self,
        actor: &Actor,
        sender_reference: Option<&str>,
        lookups: &Lookups,
    ) -> Result<Option<(store::referrals::Referral, Option<String>)>> {
        let Some(reference) = sender_reference else {
            return Ok(None);
        };
        if lookups.senders_checked {
            return Ok(None);
        }
        let mut conn = self.db.conn().await?;
        let Some(existing) =
            store::referrals::find_by_sender(&mut conn, &actor.organisation_id, reference).await?
        else {
            return Ok(None);
        };
        let held = store::referrals::sender_content(&mut conn, &existing.id).await?;
        Ok(Some((existing, held)))
    }

    /// The service the referral is for: named, or routed by its area; and
    /// the actor may send referrals to it.
    async fn destination(
        &self,
        actor: &Actor,
        input: &ReferralInput,
        lookups: &mut Lookups,
    ) -> Result<store::directory::Service> {
        // A referral that names an area but no service is routed.
        let service = if input.service_id.trim().is_empty() && !input.area.trim().is_empty() {
            Some(
                lookups
                    .routed_service(self, input.area.trim(), input.crime_type.trim())
                    .await?,
            )
        } else {
            lookups.service(self, input.service_id.trim()).await?
        };
        let Some(service) = service else {
            return Err(AppError::invalid(
                "service_id",
                ReferralMessage::ChooseServiceReferral,
            ));
        };
        if !policy::may(actor, Action::SubmitReferral, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        Ok(service)
    }

    /// The area, the crime type and whether consent allows the referral.
    pub(super) async fn check_crime(
        &self,
        input: &ReferralInput,
        lookups: &mut Lookups,
        errors: &mut FieldErrors,
    ) -> Result<Crime> {
        let area_id = match optional(&input.area) {
            None => None,
            Some(key) => {
                let found = lookups.area(self, &key).await?;
                if found.is_none() {
                    errors.add("area", ReferralMessage::ChooseAreaListPoliceForce);
                }
                found
            }
        };
        let crime_types = lookups.crime_types(self).await?;
        let crime_type = crime_types
            .iter()
            .find(|c| c.code == input.crime_type.trim());
        if crime_type.is_none() {
            errors.add("crime_type", ReferralMessage::ChooseCrimeTypeList);
        }
        let consent = Consent::parse(input.consent.trim());
        match (consent, crime_type) {
            (None, _) => errors.add("consent", ReferralMessage::SayWhetherVictimAgreedContacted),
            (Some(consent), Some(ct)) => {
                let rule = if ct.consent_rule == "opt_in" {
                    ConsentRule::OptIn
                } else {
                    ConsentRule::OptOut
                };
                if let Err(reason) = victims_code::may_refer(rule, consent) {
                    errors.add("consent", reason);
                }
            }
            _ => {}
        }
        let enhanced_reason = crime_type
            .and_then(|ct| ct.enhanced_reason.as_deref())
            .and_then(EnhancedReason::parse);
        Ok(Crime {
            area_id,
            consent,
            enhanced_reason,
        })
    }

    /// The person the referral is about: one already known, chosen by id,
    /// or a new one from the fields typed.
    async fn person_of(
        &self,
        input: &ReferralInput,
        choice: &PersonChoice,
        service: &store::directory::Service,
        born: Option<Date>,
        errors: &mut FieldErrors,
    ) -> Result<(Option<Person>, Option<NewPerson>)> {
        let Some(id) = optional(&choice.existing_person_id) else {
            return Ok((
                None,
                Some(new_person(&input.person, &service.id, born, errors)),
            ));
        };
        let scope = Visibility {
            services: vec![service.id.clone()],
            ..Visibility::default()
        };
        let found = store::people::find_visible(&mut *self.db.conn().await?, &id, &scope).await?;
        if found.is_none() {
            errors.add(
                "existing_person_id",
                ReferralMessage::ChoosePersonListEnterNew,
            );
            return Ok((
                None,
                Some(new_person(&input.person, &service.id, born, errors)),
            ));
        }
        Ok((found, None))
    }

    /// The Victims' Code deadlines, in working days of the service's nation.
    pub(super) async fn due_dates(
        &self,
        service: &store::directory::Service,
        lookups: &mut Lookups,
        dates: &Dates,
        enhanced: bool,
    ) -> Result<DueDates> {
        let nation = Nation::parse(&service.nation).unwrap_or(Nation::EnglandAndWales);
        let calendar = lookups.calendar(self, nation).await?;
        let clocks = lookups.clocks(self).await?;
        let due = |code: &str, start: Date| {
            clocks
                .iter()
                .find(|c| c.code == code)
                .map(|c| victims_code::due_date(calendar.as_ref(), c, start, enhanced))
        };
        let passed = dates.reported.and_then(|r| {
            let clock = clocks
                .iter()
                .find(|c| c.starts == ClockStart::CrimeReported)?;
            Some(victims_code::due_date(
                calendar.as_ref(),
                clock,
                r,
                enhanced,
            ))
        });
        Ok(DueDates {
            passed,
            information: due("information_given", dates.received_on).unwrap_or(dates.received_on),
            contact: due("first_contact", dates.received_on).unwrap_or(dates.received_on),
        })
    }
}

/// The reasons for enhanced rights: those ticked, and those the Code gives
/// by age.
pub(super) fn enhanced_reasons(
    input: &ReferralInput,
    by_crime_type: Option<EnhancedReason>,
    dates: &Dates,
    errors: &mut FieldErrors,
) -> Vec<EnhancedReason> {
    let mut reasons = Vec::new();
    for code in &input.enhanced_reasons {
        match EnhancedReason::parse(code.trim()) {
            Some(r) => reasons.push(r),
            None if code.trim().is_empty() => {}
            None => errors.add(
                "enhanced_reasons",
                ReferralMessage::NotAnEnhancedReason {
                    code: code.trim().into(),
                },
            ),
        }
    }
    victims_code::enhanced_reasons(
        &reasons,
        by_crime_type,
        dates.born,
        dates.incident.or(Some(dates.received_on)),
    )
}
