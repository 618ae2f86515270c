//! `calmdesk __stress --db PATH [--entries N]` (hidden): writes to the journal through the same
//! store the app uses, as fast as it can, and says on standard output each write the store
//! acknowledged (`acked ID BODY`, `edited ID BODY`) once its transaction has committed. The crash
//! tests kill it at random moments (SIGKILL) or ask it to end (SIGTERM), then check that every
//! acknowledged write is in the file. It ends by itself after `N` entries when asked to.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use chrono::{TimeZone as _, Utc};

use crate::domain::{Channel, ClientInput, Direction, ExchangeDraft, Minutes};
use crate::signals::Termination;
use crate::store::Store;

/// Runs the loop; returns when asked to end (a signal) or after `entries` entries.
pub fn run(path: &Path, entries: Option<u64>, out: &mut dyn Write) -> anyhow::Result<()> {
    let termination = Termination::listen().context("cannot listen for signals")?;
    let mut store = Store::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    writeln!(out, "opened")?;
    out.flush()?;
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let client_id = match store.client_overviews()?.first() {
        Some(overview) => overview.client.client_id,
        None => {
            let draft = ClientInput {
                name: "Stress".into(),
                ..ClientInput::default()
            }
            .parse()
            .map_err(|errors| anyhow::anyhow!("{errors:?}"))?;
            store.add_client(&draft, start)?
        }
    };
    let mut written = 0u64;
    let mut last = None;
    while !termination.requested() && entries.is_none_or(|limit| written < limit) {
        written += 1;
        let body = format!("stress entry {written} — запись {written}");
        let draft = ExchangeDraft {
            direction: Direction::FromClient,
            channel: Channel::Email,
            occurred_at: start + chrono::Duration::minutes(i64::try_from(written)?),
            minutes: Minutes::new(1).unwrap_or_default(),
            body: body.clone(),
        };
        let exchange_id = store.add_exchange(client_id, &draft, start)?;
        writeln!(out, "acked {} {body}", exchange_id.0)?;
        out.flush()?;
        if written.is_multiple_of(3)
            && let Some((previous_id, previous_draft)) = last.take()
        {
            let edited = ExchangeDraft {
                body: format!("edited {written}"),
                ..previous_draft
            };
            store.update_exchange(previous_id, &edited, start)?;
            writeln!(out, "edited {} {}", previous_id.0, edited.body)?;
            out.flush()?;
        }
        last = Some((exchange_id, draft));
    }
    // Dropping the store checkpoints: the file alone holds every write.
    drop(store);
    writeln!(out, "closed")?;
    out.flush()?;
    Ok(())
}
