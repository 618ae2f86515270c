//! The evidence record: every version of every journal entry carries a SHA-256 over its canonical
//! content, chained to the link written before it for the same client. Changing a text, a time,
//! a direction, or the order of entries with any SQLite tool breaks the chain at that link, and
//! [`check_chain`] names it.
//!
//! A client's chain is in write order (`seq` 1, 2, 3 …): adding an entry appends a link; editing
//! one appends a link for the new content and keeps the old content (a version) with the link it
//! had. Emptying the trash erases an entry's words but keeps its links' hashes, so the chain
//! still holds and says that something was erased there, and when.
//!
//! The canonical form names the client and the entry by their stable ids (`uid`), never by
//! SQLite row numbers, so a chain survives an export and an import into another database.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest as _, Sha256};

use super::exchange::{Channel, Direction, Minutes};

/// The `prev_hash` of a client's first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a link's hash covers: one version of one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkContent<'a> {
    pub client_uid: &'a str,
    pub entry_uid: &'a str,
    pub seq: i64,
    pub direction: Direction,
    pub channel: Channel,
    pub occurred_at: DateTime<Utc>,
    pub minutes: Minutes,
    /// When this content was written (the entry's creation, or the edit that made it).
    pub written_at: DateTime<Utc>,
    pub body: &'a str,
}

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl LinkContent<'_> {
    /// The exact bytes that are hashed. The body comes last, after its length in bytes, so no
    /// text can be made to read as another field.
    pub fn canonical(&self) -> String {
        format!(
            "calmdesk-link-v1\nclient:{}\nentry:{}\nseq:{}\ndirection:{}\nchannel:{}\noccurred_at:{}\nminutes:{}\nwritten_at:{}\nbody:{}\n{}",
            self.client_uid,
            self.entry_uid,
            self.seq,
            self.direction.as_str(),
            self.channel.as_str(),
            instant(self.occurred_at),
            self.minutes.get(),
            instant(self.written_at),
            self.body.len(),
            self.body
        )
    }
}

/// The link's hash: SHA-256 of the previous link's hash and this content, as lowercase hex.
pub fn link_hash(prev_hash: &str, content: &LinkContent<'_>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"prev:");
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(content.canonical().as_bytes());
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(64), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

/// One link as stored, for checking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredLink {
    pub seq: i64,
    /// The row the link belongs to, for the report ("entry 42").
    pub exchange_id: i64,
    pub entry_uid: String,
    /// `None` when the user erased the words (emptied the trash): only the hashes remain.
    pub content: Option<OwnedContent>,
    pub prev_hash: String,
    pub hash: String,
}

/// A link's content with owned text (what the store reads back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedContent {
    pub direction: Direction,
    pub channel: Channel,
    pub occurred_at: DateTime<Utc>,
    pub minutes: Minutes,
    pub written_at: DateTime<Utc>,
    pub body: String,
}

impl OwnedContent {
    pub fn as_content<'a>(
        &'a self,
        client_uid: &'a str,
        entry_uid: &'a str,
        seq: i64,
    ) -> LinkContent<'a> {
        LinkContent {
            client_uid,
            entry_uid,
            seq,
            direction: self.direction,
            channel: self.channel,
            occurred_at: self.occurred_at,
            minutes: self.minutes,
            written_at: self.written_at,
            body: &self.body,
        }
    }
}

/// Why a chain does not hold, at the first link where it breaks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {exchange_id} (link {seq}): its content no longer matches its hash")]
    ContentChanged { exchange_id: i64, seq: i64 },
    #[error(
        "entry {exchange_id} (link {seq}): it does not follow the link before it (entries removed, reordered or moved)"
    )]
    OrderChanged { exchange_id: i64, seq: i64 },
    #[error(
        "entry {exchange_id}: link {seq} appears more than once, or link {expected} is missing"
    )]
    Numbering {
        exchange_id: i64,
        seq: i64,
        expected: i64,
    },
    #[error("the chain ends at link {found}, but {expected} links were written")]
    Truncated { found: i64, expected: i64 },
    /// Every write keeps the head with its link: links without one mean it was deleted, and
    /// with it what would show that the last links were cut off.
    #[error(
        "the record of the chain's last link is gone ({found} links are there): the end of the journal cannot be confirmed"
    )]
    HeadMissing { found: i64 },
}

/// Checks one client's chain, links in any order: numbered 1..n without gaps, each following
/// the one before, each hash matching its content. `head` is the (seq, hash) the store last
/// wrote. Returns how many links hold.
pub fn check_chain(
    client_uid: &str,
    links: &mut [StoredLink],
    head: Option<(i64, &str)>,
) -> Result<usize, ChainBreak> {
    links.sort_by_key(|link| link.seq);
    let in_order = links.iter().map(Ok::<_, std::convert::Infallible>);
    match check_links_in_order(client_uid, in_order, head) {
        Ok(checked) => checked,
        Err(never) => match never {},
    }
}

/// [`check_chain`] for links that come in order of `seq` (as a store reads them one by one, so
/// that a long chain is never held whole). An error reading a link ends the check with it.
pub fn check_links_in_order<L, E>(
    client_uid: &str,
    links: impl Iterator<Item = Result<L, E>>,
    head: Option<(i64, &str)>,
) -> Result<Result<usize, ChainBreak>, E>
where
    L: std::borrow::Borrow<StoredLink>,
{
    let mut prev = GENESIS.to_owned();
    let mut found: i64 = 0;
    for link in links {
        let link = link?;
        let link = link.borrow();
        let expected = found + 1;
        if link.seq != expected {
            return Ok(Err(ChainBreak::Numbering {
                exchange_id: link.exchange_id,
                seq: link.seq,
                expected,
            }));
        }
        if let Some(content) = &link.content {
            let recomputed = link_hash(
                &link.prev_hash,
                &content.as_content(client_uid, &link.entry_uid, link.seq),
            );
            if recomputed != link.hash {
                return Ok(Err(ChainBreak::ContentChanged {
                    exchange_id: link.exchange_id,
                    seq: link.seq,
                }));
            }
        }
        if link.prev_hash != prev {
            return Ok(Err(ChainBreak::OrderChanged {
                exchange_id: link.exchange_id,
                seq: link.seq,
            }));
        }
        prev.clone_from(&link.hash);
        found = expected;
    }
    Ok(match head {
        Some((seq, hash)) if seq != found || (found > 0 && hash != prev) => {
            Err(ChainBreak::Truncated {
                found,
                expected: seq,
            })
        }
        None if found > 0 => Err(ChainBreak::HeadMissing { found }),
        _ => Ok(usize::try_from(found).unwrap_or(usize::MAX)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn content(body: &str) -> OwnedContent {
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        OwnedContent {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: at,
            minutes: Minutes::new(5).unwrap(),
            written_at: at,
            body: body.to_owned(),
        }
    }

    fn chain(bodies: &[&str]) -> Vec<StoredLink> {
        let mut prev = GENESIS.to_owned();
        bodies
            .iter()
            .enumerate()
            .map(|(index, body)| {
                let seq = index as i64 + 1;
                let uid = format!("e{seq}");
                let owned = content(body);
                let hash = link_hash(&prev, &owned.as_content("c1", &uid, seq));
                let link = StoredLink {
                    seq,
                    exchange_id: seq,
                    entry_uid: uid,
                    content: Some(owned),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                link
            })
            .collect()
    }

    #[test]
    fn a_sound_chain_holds_and_any_change_breaks_it_where_it_was_made() {
        let mut links = chain(&["Где отчёт?", "Вот он.", "Спасибо"]);
        let head = links[2].hash.clone();
        assert_eq!(check_chain("c1", &mut links, Some((3, &head))), Ok(3));

        let mut edited = links.clone();
        edited[1].content.as_mut().unwrap().body = "Вот он!".into();
        assert_eq!(
            check_chain("c1", &mut edited, Some((3, &head))),
            Err(ChainBreak::ContentChanged {
                exchange_id: 2,
                seq: 2
            })
        );

        let mut removed = links.clone();
        removed.remove(1);
        assert!(matches!(
            check_chain("c1", &mut removed, Some((3, &head))),
            Err(ChainBreak::Numbering { seq: 3, .. })
        ));

        let mut cut = links.clone();
        cut.pop();
        assert_eq!(
            check_chain("c1", &mut cut, Some((3, &head))),
            Err(ChainBreak::Truncated {
                found: 2,
                expected: 3
            })
        );

        // Another client's uid: every hash differs.
        assert!(check_chain("c2", &mut links.clone(), Some((3, &head))).is_err());

        // The head's row deleted, and with it what shows a cut: the chain does not hold,
        // whole or cut.
        assert_eq!(
            check_chain("c1", &mut links.clone(), None),
            Err(ChainBreak::HeadMissing { found: 3 })
        );
        assert_eq!(
            check_chain("c1", &mut cut, None),
            Err(ChainBreak::HeadMissing { found: 2 })
        );
        // A client with no links has no head.
        assert_eq!(check_chain("c1", &mut [], None), Ok(0));
    }

    #[test]
    fn an_erased_link_keeps_the_chain_whole() {
        let mut links = chain(&["one", "two", "three"]);
        let head = links[2].hash.clone();
        links[1].content = None;
        assert_eq!(check_chain("c1", &mut links, Some((3, &head))), Ok(3));
    }

    #[test]
    fn the_canonical_form_cannot_be_shifted_by_the_body() {
        let a = content("x\nminutes:9");
        let b = content("x");
        assert_ne!(
            a.as_content("c", "e", 1).canonical(),
            b.as_content("c", "e", 1).canonical()
        );
        assert_eq!(link_hash(GENESIS, &b.as_content("c", "e", 1)).len(), 64);
    }
}
