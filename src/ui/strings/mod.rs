//! Every word the interface shows, one file per language (`en.rs`, `ru.rs`). Both are values of
//! the same struct, so the compiler refuses a string that exists in one language only.
//! Placeholders in braces (`{size}`) are filled with [`fill`]. A count is never glued to a noun by
//! hand: each counted phrase is a [`Plural`] with one form per CLDR plural category of its language
//! (English one|other, Russian one|few|many), and ICU4X's plural rules pick the form
//! ([`Strings::count`]). Dates are written in the language's own way ([`Strings::date_pattern`]).

mod en;
mod ru;

use serde::{Deserialize, Serialize};

use crate::domain::plural::Counting;

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UiLanguage {
    #[default]
    English,
    Russian,
}

impl UiLanguage {
    pub const ALL: [Self; 2] = [Self::English, Self::Russian];

    /// The language's own name, shown the same in every interface language.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::English => "English",
            Self::Russian => "Русский",
        }
    }

    /// The system locale's language when it is one we speak, else English.
    pub fn from_locale(locale: Option<&str>) -> Self {
        match locale {
            Some(tag) if tag.to_lowercase().starts_with("ru") => Self::Russian,
            _ => Self::English,
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Self::English => &en::EN,
            Self::Russian => &ru::RU,
        }
    }
}

/// Replaces `{name}` in `template` with each value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// A counted phrase: its forms separated by `|`, one per plural category of the language, in
/// CLDR order — English "one|other" (`"{n} entry|{n} entries"`), Russian "one|few|many"
/// (`"{n} запись|{n} записи|{n} записей"`). Written only through [`Strings::count`].
#[derive(Clone, Copy, Debug)]
pub struct Plural(pub &'static str);

impl Plural {
    /// The forms, in CLDR order.
    pub fn forms(self) -> Vec<&'static str> {
        self.0.split('|').collect()
    }
}

macro_rules! define_strings {
    ($($field:ident),* $(,)? ; plurals: $($plural:ident),* $(,)?) => {
        /// The interface's words in one language.
        #[derive(Debug)]
        pub struct Strings {
            /// Which language these words are in: it picks the plural rules and the month names.
            pub language: UiLanguage,
            $(pub $field: &'static str,)*
            $(pub $plural: Plural,)*
        }

        impl Strings {
            /// Every (field name, text) pair, for tests that check the translations.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), self.$field),)* $((stringify!($plural), self.$plural.0),)*]
            }

            /// Every counted phrase, for tests that check its forms.
            pub fn plurals(&self) -> Vec<(&'static str, Plural)> {
                vec![$((stringify!($plural), self.$plural),)*]
            }
        }
    };
}

impl UiLanguage {
    /// Whose plural rules count this language's phrases.
    fn counting(self) -> Counting {
        match self {
            Self::English => Counting::English,
            Self::Russian => Counting::Russian,
        }
    }

    /// Which chrono locale writes this language's month and day names.
    pub fn chrono_locale(self) -> chrono::Locale {
        match self {
            Self::English => chrono::Locale::en_GB,
            Self::Russian => chrono::Locale::ru_RU,
        }
    }
}

impl Strings {
    /// `phrase` for `count`, in the form the language's plural rules give it, with `{n}` filled:
    /// "1 entry", "21 запись", "22 записи", "25 записей".
    pub fn count(&self, phrase: Plural, count: u64) -> String {
        self.language.counting().count(phrase.0, count)
    }

    /// The standalone name of a month, 1 to 12 ("November", «ноябрь»); empty outside that range.
    pub fn month_name(&self, month: u32) -> &'static str {
        month
            .checked_sub(1)
            .and_then(|index| self.month_names.split('|').nth(index as usize))
            .unwrap_or_default()
    }
}

define_strings! {
    app_title, demo_badge, settings_button, settings_hint, undo_button, dismiss_button,
    cancel_button, close_button, save_button, quit_button, discard_button, keep_editing_button,
    discard_changes_question, not_set, unit_min, unit_hour,
    // clients
    clients_heading, new_client_button, new_client_hint, filter_clients_label, filter_clients_hint,
    show_label, filter_current, filter_all, no_clients_match, no_entries_yet,
    status_active, status_paused, status_ended,
    kind_unjudged, kind_unjudged_explanation, kind_bad_day, kind_bad_day_explanation, kind_let_down,
    kind_let_down_explanation, kind_defects, kind_defects_explanation, kind_lost, kind_lost_explanation,
    period_month, period_quarter, period_year,
    new_client_title, edit_client_title, field_name, field_name_hint, field_contact, field_contact_hint,
    field_contract_reference, field_contract_reference_hint, field_scope, field_scope_hint, field_terms,
    field_terms_hint, field_refund, field_refund_hint, field_termination, field_termination_hint,
    field_notice_days, field_fee, field_currency, field_currency_pick, field_per, field_kind, field_notes, field_notes_hint,
    field_status,
    error_name_required, error_name_too_long, error_fee_not_a_number, error_fee_negative,
    error_fee_too_large, error_currency, error_notice, error_client_text_too_long,
    // details
    details_heading, contract_heading, ended_on, edit_client_button, pause_client_button,
    pause_client_hint, resume_client_button, reopen_client_button, end_client_button, end_client_title,
    end_client_body, end_reason_label, end_reason_hint, end_confirm_button, error_end_reason_required,
    // journal
    new_entry_button, new_entry_hint, spent_in_total, journal_empty_title, journal_empty_body,
    direction_from_client, direction_to_client, direction_note,
    channel_email, channel_phone, channel_messenger, channel_meeting, channel_other,
    edit_entry_button, delete_entry_button, copy_text_button, copy_text_hint,
    delete_entry_title, delete_entry_body, delete_confirm_button,
    new_entry_title, edit_entry_title, save_entry_button, field_channel, field_date, field_time,
    field_minutes, field_minutes_hint, field_text, field_text_hint,
    error_body_required, error_body_too_large, error_time, error_time_skipped, error_minutes,
    // search
    search_label, search_hint, search_clear, search_results_heading, search_order_best,
    search_order_newest, search_nothing_found, search_too_many, search_type_more, search_searching,
    // settings
    settings_title, settings_language, settings_theme, settings_theme_body, settings_data,
    settings_data_body,
    // welcome and failures
    welcome_title, welcome_body, welcome_add_client, welcome_open_demo, welcome_open_demo_hint,
    welcome_privacy, pick_client, open_failed_title, open_failed_body,
    // status line
    status_client_added, status_client_saved, status_client_paused, status_client_resumed,
    status_client_ended, status_client_reopened, status_entry_added, status_entry_saved,
    status_entry_deleted, status_undone, status_demo_opened, status_nothing_to_undo,
    // errors from the store, with placeholders
    error_not_a_database, error_foreign_database, error_newer_schema, error_cannot_open,
    error_not_found, error_damaged, error_storage, error_status_not_allowed,
    // cool-down
    cooldown_start_button, cooldown_start_hint, save_and_cooldown_button, open_cooldowns_heading, cooldown_ready,
    cooldown_minutes_left, cooldown_resume, cooldown_heading, cooldown_close_button, cooldown_close_hint, cooldown_pinned_heading,
    cooldown_back_button, cooldown_next_button, cooldown_finish_button, cooldown_done, cooldown_locked_for, cooldown_reason_required,
    cooldown_draft_empty, cooldown_decision_required, cooldown_unlock_note, step_wait, step_vent,
    step_facts, step_reply, step_decide, step_done, wait_title, wait_locked_until,
    wait_over, wait_unlocked_early, wait_reminder_title, wait_reminder, wait_switch_off_title, wait_switch_off,
    feeling_before_label, feeling_after_label, feeling_before_was, feeling_scale, wait_length_label, unlock_heading,
    unlock_body, unlock_reason_label, unlock_reason_hint, unlock_button, vent_title, vent_body,
    vent_pad_label, vent_pad_hint, vent_burn_button, vent_never_saved, vent_burnt, facts_title,
    facts_body, facts_toggle_hint, facts_sentence, facts_entities, facts_to_answer, facts_to_answer_body,
    facts_remove, facts_add, facts_verdict, facts_suggested_suffix, facts_items, mark_fact,
    mark_question, mark_demand, mark_threat, mark_insult, mark_emotion, verdict_legitimate,
    verdict_pressure, verdict_mixed, verdict_neutral, item_not_as_promised, item_unanswered_question, item_missed_deadline,
    item_access_removed, item_provider_rude, item_defect_not_replaced, item_rough_with_fix, item_refund_after_term, item_redo_despite_brief,
    item_more_bonuses_or_time, item_personal_attention, item_outside_rules, reply_title, reply_body, reply_escalate,
    reply_escalate_hint, reply_rebuild, reply_rebuild_question, reply_rebuild_confirm, reply_draft_label, reply_tone_clean,
    reply_tone_flags, reply_override_label, reply_override_hint, reply_copy_button, reply_logged, decide_title,
    decide_question, decide_continue, decide_pause, decide_part_ways, evidence_title, evidence_messages,
    evidence_crossed, evidence_no_pressure, evidence_pressure, evidence_legitimate, evidence_cooldowns, evidence_trend,
    trend_rising, trend_steady, trend_falling, trend_too_few, offboarding_title, offboarding_not_ready,
    task_check_termination, task_refund_unused, task_stop_billing, task_hand_over, task_final_invoice, task_closing_letter,
    task_export_journal, closing_letter_draft, closing_letter_label, closing_letter_copy, export_button, end_reason_after_cooldown,
    status_cooldown_started, status_reply_logged, status_unlocked, status_exported, error_export, export_title,
    export_exported, export_total,
    settings_cooldown, settings_wait_default, settings_templates, settings_templates_body, settings_template_label, settings_template_save, settings_template_reset, settings_template_invalid, status_template_saved, status_wait_saved,
    settings_template_en, settings_template_ru,
    // the cool-down you can trust
    cooldown_wait_cannot_shorten, cooldown_too_long, cooldown_not_possible, task_reason_required, wait_length_hint, facts_read_partly, facts_fact_label, facts_remove_numbered, facts_items_body, facts_kind_saved_hint, reply_no_signature, reply_no_contact_person, reply_minutes_label, reply_minutes_hint, reply_changed_since_logged, offboarding_body, task_no_refund_clause, task_not_applying, task_applies_button, task_not_applying_button, task_reason_label, task_reason_hint, task_mark_not_applying, client_ending_on, end_on_button, end_now_button, notice_none, last_day_label, last_day_before_notice, evidence_reviewed, evidence_backed, evidence_unticked, cooldown_reply_sent, settings_signature, settings_signature_body, settings_signature_name, settings_signature_name_hint, settings_signature_business, settings_signature_business_hint, settings_signature_save, status_client_ending, status_client_end_cancelled, status_reply_already_logged, status_kind_saved, status_signature_saved, status_endings_completed, field_contact_person, field_contact_person_hint, history_heading, history_kind, history_status, history_end_scheduled, history_end_cancelled, cancel_end_button, error_contact_person_too_long, facts_leans, error_conflict, damaged_title, damaged_body, locked_title, locked_body, open_read_only_button, read_only_banner, read_only_not_writable_banner, error_locked, error_needs_upgrade, error_read_only,
    period_hour, period_project, field_included_support, field_included_support_hint, field_included_support_note, field_included_support_none, error_included_support,
    settings_support_cost, settings_support_cost_body, settings_support_cost_example, settings_cost_amount, settings_cost_amount_hint, settings_cost_currency, settings_cost_save, settings_cost_invalid, status_cost_saved, status_cost_cleared,
    tab_journal, tab_picture, picture_heading, picture_this_month, picture_used_of, picture_allowance_from_fee, picture_allowance_set, picture_no_allowance, picture_used, picture_worth, picture_hourly, picture_project, picture_project_no_budget, picture_over, picture_over_value, picture_project_over, picture_months_over, picture_options, picture_bill_extra, picture_propose_plan, picture_part_ways, picture_part_ways_hint, picture_no_message, picture_minutes_plot, picture_allowance_line, picture_minutes_series, picture_heat_plot, picture_heat_series, picture_threats_series, picture_insults_series, picture_heat_hint, picture_no_messages, picture_as_table, picture_month_row, picture_heat_row, picture_threat, picture_insult, picture_kind_guidance_keep, picture_kind_guidance_part, letter_invoice_title, letter_plan_title, letter_body, letter_copy, letter_no_cost, status_copied, ledger_button, ledger_hint, ledger_heading, ledger_previous_month, ledger_next_month, ledger_close, ledger_intro, ledger_no_cost, ledger_no_clients, ledger_col_name, ledger_col_fee, ledger_col_minutes, ledger_col_percent, ledger_col_overrun, ledger_col_heat, ledger_col_trend, ledger_col_cooldowns, ledger_col_kind, ledger_col_status, ledger_sorted_by, ledger_none, ledger_open_client, details_over_allowance,
    picture_trend_too_few,
    // data safety: history, the evidence record, export and import, backups
    export_details, export_entries, export_version, export_reviewed, export_verdict, export_chain, export_chain_body, export_chain_holds, export_chain_broken, export_link, export_deleted, export_erased, export_empty, chain_content_changed, chain_order_changed, chain_numbering, chain_truncated, chain_head_missing, data_button, data_hint, data_title, trash_heading, trash_body, trash_nothing, trash_entry, trash_restore_button, trash_empty_button, trash_empty_title, trash_empty_body, trash_empty_confirm, backups_heading, backups_body, backups_none, backup_entry, backup_now_button, backup_restore_button, backup_restore_title, backup_restore_body, backup_restore_confirm, backups_keep_label, backups_keep_save, archive_heading, archive_body, archive_export_button, archive_import_button, import_progress, import_reading, export_record_button, export_record_hint, export_record_html, export_record_markdown, entry_versions_heading, entry_version_line, status_entry_restored, status_trash_emptied, status_backup_taken, status_backup_restored, status_archive_exported, status_imported, status_backups_kept, error_import,
    delete_entry_cooldown,
    no_clients_with_status,
    date_pattern, date_time_pattern, long_date_pattern, month_names,
    task_not_applying_named, task_applies_named,
    damaged_restore_button, damaged_restore_title, damaged_restore_body, damaged_restore_none, damaged_restore_confirm_body,
    theme_system, theme_light, theme_dark,
    steps_label,
    tone_flag_insult, tone_flag_threat,
    example_hint,
    export_progress, export_reading,
    archive_export_progress_title,
    record_export_progress_title,
    backup_progress_title,
    backup_copying,
    restore_progress_title,
    restore_copying,
    restore_over_damaged_copying,
    size_bytes, size_kilobytes, size_megabytes, decimal_mark,
    archive_malformed, archive_foreign, archive_newer, archive_invalid, archive_unreadable,
    error_demo_broken,
    picture_minutes_plot_name, picture_heat_plot_name, picture_project_options, ledger_minutes_worth,
    date_day, date_month, date_year,
    upgrade_title, upgrade_body, upgrade_elapsed, upgrade_closing,
    upgrade_step_copy, upgrade_step_index,
    ;
    plurals: entries_count, search_ranked_within, days_count, threats_count, insults_count, cooldown_draft_flagged, notice_days_value, picture_unread, ledger_unread, picture_trend_rising, picture_trend_falling, picture_trend_steady,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_is_translated_and_keeps_its_placeholders() {
        let english = UiLanguage::English.strings().entries();
        let russian = UiLanguage::Russian.strings().entries();
        for ((name, en_text), (_, ru_text)) in english.iter().zip(russian.iter()) {
            assert!(!en_text.trim().is_empty(), "{name} is empty in English");
            assert!(!ru_text.trim().is_empty(), "{name} is empty in Russian");
            let placeholders = |text: &str| -> Vec<String> {
                text.split('{')
                    .skip(1)
                    .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
                    .collect()
            };
            let mut en_placeholders = placeholders(en_text);
            let mut ru_placeholders = placeholders(ru_text);
            // A counted phrase repeats `{n}` once per form, and the languages have different numbers
            // of forms: what must agree is which placeholders there are.
            en_placeholders.sort();
            en_placeholders.dedup();
            ru_placeholders.sort();
            ru_placeholders.dedup();
            assert_eq!(
                en_placeholders, ru_placeholders,
                "{name} has different placeholders"
            );
        }
    }

    #[test]
    fn counts_take_the_plural_form_of_their_language() {
        let counts = [0, 1, 2, 5, 11, 21, 22, 25, 101];
        let said = |language: UiLanguage| -> Vec<String> {
            let tr = language.strings();
            counts
                .iter()
                .map(|&n| tr.count(tr.entries_count, n))
                .collect()
        };
        assert_eq!(
            said(UiLanguage::English),
            [
                "0 entries",
                "1 entry",
                "2 entries",
                "5 entries",
                "11 entries",
                "21 entries",
                "22 entries",
                "25 entries",
                "101 entries"
            ]
        );
        assert_eq!(
            said(UiLanguage::Russian),
            [
                "0 записей",
                "1 запись",
                "2 записи",
                "5 записей",
                "11 записей",
                "21 запись",
                "22 записи",
                "25 записей",
                "101 запись"
            ]
        );
        let ru = UiLanguage::Russian.strings();
        assert_eq!(ru.count(ru.days_count, 3), "3 дня");
        assert_eq!(ru.count(ru.days_count, 14), "14 дней");
        assert_eq!(ru.count(ru.threats_count, 1), "1 угроза");
    }

    #[test]
    fn every_counted_phrase_has_one_form_per_plural_category() {
        for language in UiLanguage::ALL {
            let categories = language.counting().forms();
            for (name, phrase) in language.strings().plurals() {
                let forms = phrase.forms();
                assert_eq!(forms.len(), categories, "{name} in {language:?}: {forms:?}");
                for form in forms {
                    assert!(
                        form.contains("{n}") || !form.chars().any(|c| c.is_ascii_digit()),
                        "{name} in {language:?}: the form {form:?} has no {{n}}"
                    );
                }
            }
        }
        // Forms that leave the number out ("the last message") are English's "one" only.
        for (name, phrase) in UiLanguage::Russian.strings().plurals() {
            assert!(
                phrase.forms().iter().all(|form| form.contains("{n}")),
                "{name}"
            );
        }
    }

    #[test]
    fn no_string_is_left_in_the_other_language() {
        // Names and bare placeholders read the same in both languages.
        let same_everywhere = [
            "app_title",
            "export_record_markdown",
            "backup_entry",
            "picture_month_row",
        ];
        let cyrillic = |text: &str| {
            text.chars()
                .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
        };
        let words = |text: &str| -> String {
            // Placeholders and strftime patterns are not words on screen.
            let mut out = String::new();
            let mut in_braces = false;
            for c in text.chars() {
                match c {
                    '{' => in_braces = true,
                    '}' => in_braces = false,
                    _ if !in_braces => out.push(c),
                    _ => {}
                }
            }
            out
        };
        for (name, text) in UiLanguage::Russian.strings().entries() {
            let text = words(text);
            let has_letters = text.chars().any(char::is_alphabetic);
            if has_letters && !same_everywhere.contains(&name) && !name.ends_with("_pattern") {
                assert!(cyrillic(&text), "{name} is not in Russian: {text:?}");
            }
        }
        // English may quote a Russian example in a hint ("Derek, Ирина Петровна"), nothing else.
        for (name, text) in UiLanguage::English.strings().entries() {
            if name.ends_with("_hint") {
                continue;
            }
            assert!(!cyrillic(text), "{name} is not in English: {text:?}");
        }
    }

    #[test]
    fn the_locale_picks_the_language() {
        assert_eq!(UiLanguage::from_locale(Some("ru-RU")), UiLanguage::Russian);
        assert_eq!(UiLanguage::from_locale(Some("en-GB")), UiLanguage::English);
        assert_eq!(UiLanguage::from_locale(Some("de-DE")), UiLanguage::English);
        assert_eq!(UiLanguage::from_locale(None), UiLanguage::English);
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
    }
}
