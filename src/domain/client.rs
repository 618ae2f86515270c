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

/// How often the fee is paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingPeriod {
    #[default]
    Month,
    Quarter,
    Year,
}

impl BillingPeriod {
    pub const ALL: [Self; 3] = [Self::Month, Self::Quarter, Self::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Quarter => "quarter",
            Self::Year => "year",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|period| period.as_str() == text)
    }

    pub fn months(self) -> u32 {
        match self {
            Self::Month => 1,
            Self::Quarter => 3,
            Self::Year => 12,
        }
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
        let notice_text = self.notice_period_days.trim();
        let notice_period_days = if notice_text.is_empty() {
            None
        } else {
            match notice_text.parse::<u32>() {
                Ok(days) if days <= 3650 => Some(days),
                _ => {
                    errors.push(ClientFieldError::NoticeNotANumber);
                    None
                }
            }
        };
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
            kind: self.kind,
            notes: self.notes.trim_end().to_owned(),
        })
    }
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
}
