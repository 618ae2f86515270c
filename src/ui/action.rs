//! What the user asked for during a frame. Views return these; `App::run_action` applies them
//! to the store after drawing, once, and reports any error once.

use crate::domain::reply::ReplyLanguage;
use crate::domain::{ClientDraft, ClientId, CoolDownId, ExchangeDraft, ExchangeId, StatusChange};
use crate::store::SearchOrder;
use crate::ui::UiLanguage;
use crate::ui::cooldown::CoolDownAction;

#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    SelectClient(ClientId),
    NewClient,
    EditClient(ClientId),
    SaveClient {
        client_id: Option<ClientId>,
        draft: ClientDraft,
    },
    ChangeStatus {
        client_id: ClientId,
        change: StatusChange,
    },
    NewExchange,
    EditExchange(ExchangeId),
    SaveExchange {
        exchange_id: Option<ExchangeId>,
        client_id: ClientId,
        draft: ExchangeDraft,
        /// Start a cool-down on it once saved ("Save and cool down").
        then_cool_down: bool,
    },
    /// Delete after the user confirmed.
    DeleteExchange(ExchangeId),
    SelectExchange(ExchangeId),
    Undo,
    /// Start a cool-down on a message from the client.
    StartCoolDown(ExchangeId),
    OpenCoolDown(CoolDownId),
    CoolDown(CoolDownAction),
    Search {
        query: String,
        order: SearchOrder,
    },
    OpenSearchHit {
        client_id: ClientId,
        exchange_id: ExchangeId,
    },
    SetLanguage(UiLanguage),
    /// The default wait of new cool-downs, in minutes.
    SetWaitMinutes(u32),
    SaveTemplate {
        language: ReplyLanguage,
        text: String,
    },
    ResetTemplate(ReplyLanguage),
    OpenDemo,
    OpenSettings,
    DismissStatus,
    Quit,
}
