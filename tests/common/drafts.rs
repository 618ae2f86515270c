//! The client and the entry most store tests write: a client known by name only, and an e-mail
//! from the client of five minutes.

use calmdesk::domain::{Channel, ClientDraft, ClientInput, Direction, ExchangeDraft, Minutes};
use chrono::{DateTime, Utc};

pub fn client(name: &str) -> ClientDraft {
    ClientInput {
        name: name.into(),
        ..ClientInput::default()
    }
    .parse()
    .unwrap()
}

pub fn entry(body: &str, when: DateTime<Utc>) -> ExchangeDraft {
    ExchangeDraft {
        direction: Direction::FromClient,
        channel: Channel::Email,
        occurred_at: when,
        minutes: Minutes::new(5).unwrap(),
        body: body.into(),
    }
}
