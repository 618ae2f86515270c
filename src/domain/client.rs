//! A client: who they are, the contract's key clauses, what they pay, and where the relationship
//! stands. Clients are never deleted; ending one archives it with a reason and a date.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ids::ClientId;
use super::money::{AmountError, Currency, Money, parse_amount};

/// Where the relationship stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    Active,
    Paused,
    Ended,
}

impl ClientStatus {
    pub const ALL: [Self; 3] = [Self::Active, Self::Paused, Self::Ended];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Ended => "ended",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// The user's judgement of which of the four kinds of upset client this is (seed 000).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    /// Having a bad day: easy to bring round.
    BadDay,
    /// The product or service let them down.
    LetDown,
    /// Hit a critical number of defects.
    Defects,
    /// Has lost all adequacy: insults, blackmail, threats. Already lost.
    Lost,
}

impl ClientKind {
    pub const ALL: [Self; 4] = [Self::BadDay, Self::LetDown, Self::Defects, Self::Lost];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadDay => "bad_day",
            Self::LetDown => "let_down",
            Self::Defects => "defects",
            Self::Lost => "lost",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The first three are worth winning back; the last is not (seed 000).
    pub fn is_worth_winning_back(self) -> bool {
        self != Self::Lost
    }
}

/// What the fee is for: a month, a quarter or a year of service (a subscription, with support
/// included), an hour of work, or the whole project (paid once).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingPeriod {
    #[default]
    Month,
    Quarter,
    Year,
    /// By the hour: the fee is the hourly rate; no support is included.
    Hour,
    /// One-off: the fee is the project's; no monthly allowance.
    Project,
}

impl BillingPeriod {
    pub const ALL: [Self; 5] = [
        Self::Month,
        Self::Quarter,
        Self::Year,
        Self::Hour,
        Self::Project,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Year => "year",
            Self::Hour => "hour",
            Self::Project => "project",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|period| period.as_str() == text)
    }

    /// The months one fee pays for; `None` for hourly and one-off work, which buy no month.
    pub fn months(self) -> Option<u32> {
        match self {
            Self::Month => Some(1),
            Self::Quarter => Some(3),
            Self::Year => Some(12),
            Self::Hour | Self::Project => None,
        }
    }
}

/// The support a client's plan includes each month, set by the user ("3 hours a month", seed
/// 002) instead of the fee divided by the cost of a minute. At most a month of minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IncludedSupport(u32);

impl IncludedSupport {
    /// Thirty-one days of minutes.
    pub const MAX: u32 = 31 * 24 * 60;

    pub fn new(minutes: u32) -> Option<Self> {
        (minutes <= Self::MAX).then_some(Self(minutes))
    }

    pub fn minutes(self) -> u32 {
        self.0
    }

    /// Minutes or hours as people write them: "180", "90 min", "3 h", "3ч", "1,5 часа",
    /// "2:30" (hours and minutes). A part-minute is rounded to the nearest minute.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        if let Some((hours, minutes)) = text.split_once(':') {
            let hours: u32 = hours.trim().parse().ok()?;
            let minutes: u32 = minutes.trim().parse().ok()?;
            return (minutes < 60)
                .then(|| hours.checked_mul(60)?.checked_add(minutes))
                .flatten()
                .and_then(Self::new);
        }
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: f64 = number.replace(',', ".").parse().ok()?;
        let per_unit = match unit.trim().trim_end_matches('.') {
            "" | "m" | "min" | "mins" | "minute" | "minutes" | "мин" | "минут" | "минуты"
            | "минута" => 1.0,
            "h" | "hr" | "hrs" | "hour" | "hours" | "ч" | "час" | "часа" | "часов" => {
                60.0
            }
            _ => return None,
        };
        let minutes = (number * per_unit).round();
        if !(0.0..=f64::from(Self::MAX)).contains(&minutes) {
            return None;
        }
        // In range and whole: the cast is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Self::new(minutes as u32)
    }
}

/// The contract's reference and the clauses a reply may cite.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    /// "Договор № 17 от 12.01.2026", "SA-2026-04".
    pub reference: String,
    /// What the service covers.
    pub scope: String,
    /// Payment terms, deadlines, response times.
    pub terms: String,
    pub refund: String,
    pub termination: String,
    pub notice_period_days: Option<u32>,
}

/// When and why a client was ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ending {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A client set to end on a later day, honouring the contract's notice period: until then the
/// work goes on and the client stays active (or paused).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledEnd {
    /// The last working day, in the user's calendar.
    pub on: NaiveDate,
    pub reason: String,
}

/// A client as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub client_id: ClientId,
    pub name: String,
    pub contact: String,
    /// Who the user writes to, as she greets them ("Derek", «Ирина Петровна»).
    pub contact_person: String,
    pub contract: Contract,
    pub fee: Option<Money>,
    pub billing_period: BillingPeriod,
    /// Support included each month, when the user set it; else it follows from the fee.
    pub included_support: Option<IncludedSupport>,
    pub status: ClientStatus,
    pub ending: Option<Ending>,
    pub scheduled_end: Option<ScheduledEnd>,
    pub kind: Option<ClientKind>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A valid client, ready to be stored. Only [`ClientInput::parse`] makes one from user input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientDraft {
    pub name: String,
    pub contact: String,
    pub contact_person: String,
    pub contract: Contract,
    pub fee: Option<Money>,
    pub billing_period: BillingPeriod,
    pub included_support: Option<IncludedSupport>,
    pub kind: Option<ClientKind>,
    pub notes: String,
}

/// Longest name accepted; longer is a paste gone wrong.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest clause or note accepted (64 KiB of text is a long contract clause).
pub const MAX_CLAUSE_BYTES: usize = 64 * 1024;

/// The client form as typed: plain strings, parsed on save.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientInput {
    pub name: String,
    pub contact: String,
    pub contact_person: String,
    pub contract_reference: String,
    pub scope: String,
    pub terms: String,
    pub refund: String,
    pub termination: String,
    pub notice_period_days: String,
    pub fee: String,
    pub currency: String,
    pub billing_period: BillingPeriod,
    /// Support included each month, in minutes or hours; empty: from the fee.
    pub included_support: String,
    pub kind: Option<ClientKind>,
    pub notes: String,
}

/// A field of the client form that needs fixing, said in words by the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientFieldError {
    #[error("a name is required")]
    NameRequired,
    #[error("the name is longer than {MAX_NAME_CHARS} characters")]
    NameTooLong,
    #[error("the contact person is longer than {MAX_NAME_CHARS} characters")]
    ContactPersonTooLong,
    #[error("the fee: {0}")]
    Fee(AmountError),
    #[error("the currency must be a three-letter code such as EUR, USD or RUB")]
    CurrencyInvalid,
    #[error("the notice period must be a whole number of days")]
    NoticeNotANumber,
    #[error("the support included must be minutes or hours, such as 180 or 3 h")]
    IncludedSupportInvalid,
    #[error("a text field is longer than 64 KB")]
    TextTooLong,
}

impl ClientInput {
    /// A form filled from a stored client, for editing.
    pub fn from_client(client: &Client) -> Self {
        Self {
            name: client.name.clone(),
            contact: client.contact.clone(),
            contact_person: client.contact_person.clone(),
            contract_reference: client.contract.reference.clone(),
            scope: client.contract.scope.clone(),
            terms: client.contract.terms.clone(),
            refund: client.contract.refund.clone(),
            termination: client.contract.termination.clone(),
            notice_period_days: client
                .contract
                .notice_period_days
                .map(|days| days.to_string())
                .unwrap_or_default(),
            fee: client
                .fee
                .map(|fee| fee.amount_text().replace('\u{202F}', " "))
                .unwrap_or_default(),
            currency: client
                .fee
                .map(|fee| fee.currency.to_string())
                .unwrap_or_default(),
            billing_period: client.billing_period,
            included_support: client
                .included_support
                .map(|support| support.minutes().to_string())
                .unwrap_or_default(),
            kind: client.kind,
            notes: client.notes.clone(),
        }
    }

    /// Parses the form. Every problem is reported at once, so the user fixes them in one go.
    pub fn parse(&self) -> Result<ClientDraft, Vec<ClientFieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errors.push(ClientFieldError::NameRequired);
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(ClientFieldError::NameTooLong);
        }
        if self.contact_person.trim().chars().count() > MAX_NAME_CHARS {
            errors.push(ClientFieldError::ContactPersonTooLong);
        }
        let currency = if self.currency.trim().is_empty() {
            Some(Currency::default())
        } else {
            Currency::parse(&self.currency)
        };
        if currency.is_none() {
            errors.push(ClientFieldError::CurrencyInvalid);
        }
        let fee = if self.fee.trim().is_empty() {
            None
        } else {
            match parse_amount(&self.fee) {
                Ok(minor_units) => currency.map(|currency| Money {
                    minor_units,
                    currency,
                }),
                Err(error) => {
                    errors.push(ClientFieldError::Fee(error));
                    None
                }
            }
        };
        let notice_period_days = optional_field(
            &self.notice_period_days,
            |text| text.parse::<u32>().ok().filter(|days| *days <= 3650),
            ClientFieldError::NoticeNotANumber,
            &mut errors,
        );
        let included_support = optional_field(
            &self.included_support,
            IncludedSupport::parse,
            ClientFieldError::IncludedSupportInvalid,
            &mut errors,
        );
        let texts = [
            &self.contact,
            &self.contract_reference,
            &self.scope,
            &self.terms,
            &self.refund,
            &self.termination,
            &self.notes,
        ];
        if texts.iter().any(|text| text.len() > MAX_CLAUSE_BYTES) {
            errors.push(ClientFieldError::TextTooLong);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ClientDraft {
            name,
            contact: self.contact.trim().to_owned(),
            contact_person: self.contact_person.trim().to_owned(),
            contract: Contract {
                reference: self.contract_reference.trim().to_owned(),
                scope: self.scope.trim().to_owned(),
                terms: self.terms.trim().to_owned(),
                refund: self.refund.trim().to_owned(),
                termination: self.termination.trim().to_owned(),
                notice_period_days,
            },
            fee,
            billing_period: self.billing_period,
            included_support,
            kind: self.kind,
            notes: self.notes.trim_end().to_owned(),
        })
    }
}

/// An optional field: empty is `None`; text that does not parse is `error`, reported.
fn optional_field<T>(
    text: &str,
    parse: impl FnOnce(&str) -> Option<T>,
    error: ClientFieldError,
    errors: &mut Vec<ClientFieldError>,
) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let parsed = parse(text);
    if parsed.is_none() {
        errors.push(error);
    }
    parsed
}

/// A change of status the user asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusChange {
    Pause,
    Resume,
    /// Archive the client now. The reason is required: it is the record of why.
    End {
        reason: String,
    },
    /// Archive the client on a later day (the end of the notice period); until then the work
    /// goes on. The reason is required.
    EndOn {
        on: NaiveDate,
        reason: String,
    },
    /// Call off a scheduled end.
    CancelEnd,
    /// Take an ended client back on.
    Reopen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StatusChangeError {
    #[error("ending a client needs a reason")]
    ReasonRequired,
    #[error("the client is not in a state that allows this")]
    NotAllowed,
}

impl StatusChange {
    /// The status after the change, or why it cannot happen from `from`.
    pub fn apply(&self, from: ClientStatus) -> Result<ClientStatus, StatusChangeError> {
        use ClientStatus::{Active, Ended, Paused};
        match (self, from) {
            (Self::Pause, Active) => Ok(Paused),
            (Self::Resume, Paused) => Ok(Active),
            (Self::End { reason }, Active | Paused) => {
                if reason.trim().is_empty() {
                    Err(StatusChangeError::ReasonRequired)
                } else {
                    Ok(Ended)
                }
            }
            // The status stays as it is until the day comes.
            (Self::EndOn { reason, .. }, Active | Paused) => {
                if reason.trim().is_empty() {
                    Err(StatusChangeError::ReasonRequired)
                } else {
                    Ok(from)
                }
            }
            (Self::CancelEnd, Active | Paused) => Ok(from),
            (Self::Reopen, Ended) => Ok(Active),
            _ => Err(StatusChangeError::NotAllowed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> ClientInput {
        ClientInput {
            name: name.into(),
            ..ClientInput::default()
        }
    }

    #[test]
    fn a_name_is_required() {
        assert_eq!(
            input("   ").parse(),
            Err(vec![ClientFieldError::NameRequired])
        );
        assert_eq!(
            input("ООО «Ромашка»").parse().map(|draft| draft.name),
            Ok("ООО «Ромашка»".into())
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let form = ClientInput {
            fee: "lots".into(),
            currency: "euro".into(),
            notice_period_days: "two weeks".into(),
            ..ClientInput::default()
        };
        assert_eq!(
            form.parse(),
            Err(vec![
                ClientFieldError::NameRequired,
                ClientFieldError::CurrencyInvalid,
                ClientFieldError::Fee(AmountError::NotANumber),
                ClientFieldError::NoticeNotANumber,
            ])
        );
    }

    #[test]
    fn a_fee_parses_with_its_currency_and_round_trips_through_the_form() {
        let form = ClientInput {
            name: "Acme".into(),
            fee: "1 200,50".into(),
            currency: "usd".into(),
            notice_period_days: "14".into(),
            ..ClientInput::default()
        };
        let draft = form.parse().expect("valid form");
        let fee = draft.fee.expect("fee");
        assert_eq!(fee.minor_units, 120_050);
        assert_eq!(fee.currency.code(), "USD");
        assert_eq!(draft.contract.notice_period_days, Some(14));
    }

    #[test]
    fn status_changes_follow_the_lifecycle() {
        use ClientStatus::*;
        assert_eq!(StatusChange::Pause.apply(Active), Ok(Paused));
        assert_eq!(StatusChange::Resume.apply(Paused), Ok(Active));
        assert_eq!(
            StatusChange::Resume.apply(Active),
            Err(StatusChangeError::NotAllowed)
        );
        assert_eq!(
            StatusChange::End { reason: " ".into() }.apply(Active),
            Err(StatusChangeError::ReasonRequired)
        );
        assert_eq!(
            StatusChange::End {
                reason: "Threats".into()
            }
            .apply(Paused),
            Ok(Ended)
        );
        assert_eq!(
            StatusChange::End {
                reason: "again".into()
            }
            .apply(Ended),
            Err(StatusChangeError::NotAllowed)
        );
        assert_eq!(StatusChange::Reopen.apply(Ended), Ok(Active));
    }

    #[test]
    fn included_support_is_read_in_minutes_or_hours_as_people_write_them() {
        let minutes = |text: &str| IncludedSupport::parse(text).map(IncludedSupport::minutes);
        assert_eq!(minutes("180"), Some(180));
        assert_eq!(minutes("90 min"), Some(90));
        assert_eq!(minutes("3 h"), Some(180));
        assert_eq!(minutes("3ч"), Some(180));
        assert_eq!(minutes("1,5 часа"), Some(90));
        assert_eq!(minutes("1.5 hours"), Some(90));
        assert_eq!(minutes("2:30"), Some(150));
        assert_eq!(minutes("45 мин."), Some(45));
        assert_eq!(minutes("0"), Some(0));
        for nonsense in ["", "lots", "3 days", "2:75", "-5", "1e9", "745 h"] {
            assert_eq!(minutes(nonsense), None, "{nonsense:?}");
        }
    }

    #[test]
    fn a_bad_included_support_is_reported_and_an_empty_one_follows_the_fee() {
        let form = ClientInput {
            included_support: "three hours".into(),
            ..input("Ромашка")
        };
        assert_eq!(
            form.parse(),
            Err(vec![ClientFieldError::IncludedSupportInvalid])
        );
        let draft = input("Ромашка").parse().unwrap();
        assert_eq!(draft.included_support, None);
        let draft = ClientInput {
            included_support: "3 h".into(),
            ..input("Ромашка")
        }
        .parse()
        .unwrap();
        assert_eq!(
            draft.included_support.map(IncludedSupport::minutes),
            Some(180)
        );
    }
}
