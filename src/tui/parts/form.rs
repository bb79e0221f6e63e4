//! The desk's side of the form part (`tui::form_keys`): it hands the form a key or an
//! action with what it needs from the desk (`FormEnv`) and runs the reply (a toast, a
//! pop-up, a global key); also the returning customer's answer and keeping the focused
//! field on screen.

use crossterm::event::KeyEvent;

use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::form_ctx::FormCtx;
use crate::tui::form_keys::{FormAsk, FormReply};
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::popup::member::MemberEditor;
use crate::tui::strings;
use crate::tui::view;

impl App {
    // ----- the form ------------------------------------------------------------------

    /// A key for the form part: it takes it itself (`FormState::key`); the desk does what
    /// the reply asks.
    pub(crate) fn form_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let reply = self.with_form(self.scopes(), |form, env| form.key(key, env));
        self.form_reply(reply)
    }

    /// An action for the form part (a click on a field's button).
    pub(crate) fn form_action(&mut self, action: Action) -> Vec<Effect> {
        let reply = self.with_form(self.scopes(), |form, env| form.act(action, env));
        self.form_reply(reply)
    }

    /// Runs what the form part asked: a toast, a pop-up, a global key.
    fn form_reply(&mut self, reply: FormReply) -> Vec<Effect> {
        let FormReply {
            toast,
            ask,
            propagate,
            idle,
        } = reply;
        let mut effects = Vec::new();
        if let Some(text) = toast {
            effects.push(self.toast(text, false));
        }
        match ask {
            Some(FormAsk::Choice {
                item,
                options,
                selected,
            }) => {
                let picker = self.choice_picker(item, options, selected);
                self.open(picker);
            }
            Some(FormAsk::Member(index)) => self.open_member(index),
            None => {}
        }
        if let Some(action) = propagate {
            effects.extend(self.global_action(action));
        }
        if idle {
            self.dirty = false;
        }
        effects
    }

    /// A returning-customer lookup answered: offer the details when this is the newest
    /// lookup, the form is still on screen and the details would fill something.
    pub(crate) fn customer_found(
        &mut self,
        generation: u64,
        found: Option<crate::history::ReturningCustomer>,
    ) {
        if generation != self.lookup_gen || self.screen != Screen::Form {
            return;
        }
        self.form.returning = found.filter(|c| self.form.offers_something(&c.details));
    }

    /// The clerk took the returning customer's details.
    pub(crate) fn use_returning(
        &mut self,
        customer: crate::history::ReturningCustomer,
    ) -> Vec<Effect> {
        let profile = self.current_profile().clone();
        let filled = self.form.fill_returning(&customer.details, &profile);
        vec![self.toast(strings::details_filled(filled, &customer.order_id), false)]
    }

    /// The member editor for row `index`, or for a new member; saving writes it back.
    pub(crate) fn open_member(&mut self, index: Option<usize>) {
        let member = index
            .and_then(|i| self.form.form.members.get(i))
            .cloned()
            .unwrap_or_default();
        let save = move |name: String, phone: String| -> Then {
            Box::new(move |app: &mut App| {
                app.save_member(index, &name, &phone);
                Vec::new()
            })
        };
        self.open(MemberEditor::new(
            index.is_none(),
            &member.member_name,
            &member.member_phone,
            Box::new(save),
        ));
    }

    /// Keeps the focused field and the selected history row on screen.
    pub(crate) fn keep_in_view(&mut self) {
        let screen = layout::screen(self.size);
        let main = (!layout::too_small(screen)).then(|| layout::areas(self, screen).main);
        let lines = main.and_then(|main| view::form::focus_lines(&FormCtx::of(self), main));
        if let Some((focus_top, focus_bottom, height)) = lines {
            if focus_top < self.form.scroll {
                self.form.scroll = focus_top;
            } else if focus_bottom > self.form.scroll + height {
                self.form.scroll = focus_bottom.saturating_sub(height);
            }
        }
        let h = self.history_height();
        self.history.scroll_to_selection(h);
    }
}

#[cfg(test)]
mod tests {
    use time::UtcOffset;

    use crate::session::ProfileSet;
    use crate::session::desk::{CustomerIdRule, Origin};
    use crate::session::keys;
    use crate::tui::state::{App, AppInit, Clock, Start, Then};
    use crate::tui::strings;
    use crate::tui::testing::{fixed_now, settings};
    use crate::tui::theme::Theme;
    use crate::tui::widgets::line_input::LineInput;

    #[test]
    fn a_new_order_has_the_desk_values_and_a_walk_in_gets_an_id_from_the_phone() {
        let dir = std::env::temp_dir().join("paydesk-desk-defaults-test");
        let mut settings = settings(&dir, "travel");
        settings
            .desk
            .values
            .insert(keys::SOURCE.into(), "counter-3".into());
        settings.desk.customer_id = Some(CustomerIdRule::Phone);
        let mut app = App::new(AppInit {
            settings,
            profiles: ProfileSet::builtin(),
            problems: Vec::new(),
            theme: Theme::dark(),
            clock: Clock::fixed(fixed_now()),
            seed: 7,
            utc_offset: UtcOffset::UTC,
            start: Start::Blank,
            size: (100, 40),
        });
        assert_eq!(app.form.form.get(keys::SOURCE), "counter-3");
        assert_eq!(
            app.form.origins.get(keys::SOURCE),
            Some(&Origin::DeskSettings)
        );
        assert_eq!(app.form.form.get(keys::CUSTOMER_ID), "");
        assert!(app.form.focus_key(keys::CUSTOMER_PHONE));
        app.form.input = LineInput::new("+91 98765 43210");
        app.leave_field();
        assert_eq!(app.form.form.get(keys::CUSTOMER_ID), "9876543210");
        assert_eq!(
            app.form.origins.get(keys::CUSTOMER_ID),
            Some(&Origin::Generated)
        );
        // `N` (a new order keeping nothing) fills the desk values again.
        app.new_order(crate::session::Form::default());
        assert_eq!(app.form.form.get(keys::SOURCE), "counter-3");
    }

    use crossterm::event::KeyCode;

    use crate::history::{CustomerKey, ReturningCustomer};
    use crate::session::Section;
    use crate::tui::draft::Draft;
    use crate::tui::effects::Effect;
    use crate::tui::msg::Msg;
    use crate::tui::testing::{self, key};

    fn desk_app(start: Start) -> App {
        desk_app_moving(start, false)
    }

    /// The counter desk; `auto_advance` as `[desk] auto_advance`.
    fn desk_app_moving(start: Start, auto_advance: bool) -> App {
        let dir = std::env::temp_dir().join("paydesk-counter-desk-test");
        let mut settings = settings(&dir, "travel");
        settings.desk.auto_advance = auto_advance;
        settings
            .desk
            .values
            .insert("metadata.agent_name".into(), "Ravi Travels".into());
        settings.desk.customer_id = Some(CustomerIdRule::Phone);
        App::new(AppInit {
            settings,
            profiles: ProfileSet::builtin(),
            problems: Vec::new(),
            theme: Theme::dark(),
            clock: Clock::fixed(fixed_now()),
            seed: 7,
            utc_offset: UtcOffset::UTC,
            start,
            size: (100, 40),
        })
    }

    fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
        text.chars()
            .flat_map(|c| app.update(key(KeyCode::Char(c))))
            .collect()
    }

    fn lookups(effects: &[Effect]) -> Vec<(u64, CustomerKey)> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::LookupCustomer { generation, key } => Some((*generation, key.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn desk_values_fill_a_restored_draft_and_a_from_file_form() {
        let mut form = crate::session::Form::default();
        form.set(keys::CUSTOMER_PHONE, "9876543210");
        let draft = desk_app(Start::Draft(Draft {
            profile: "travel".into(),
            form: form.clone(),
            generated_order_id: None,
        }));
        assert_eq!(draft.form.form.get("metadata.agent_name"), "Ravi Travels");
        assert_eq!(
            draft.form.origins.get("metadata.agent_name"),
            Some(&Origin::DeskSettings)
        );
        assert_eq!(draft.form.form.get(keys::CUSTOMER_ID), "9876543210");
        form.set("metadata.agent_name", "Typed Agent");
        let import = desk_app(Start::Import(form));
        // A value in the file wins over the desk's.
        assert_eq!(import.form.form.get("metadata.agent_name"), "Typed Agent");
        assert!(!import.form.origins.contains_key("metadata.agent_name"));
        assert_eq!(import.form.form.get(keys::CUSTOMER_ID), "9876543210");
    }

    #[test]
    fn the_next_empty_key_crosses_tabs_and_skips_filled_fields() {
        let mut app = desk_app(Start::Blank);
        app.update(testing::key(KeyCode::F(5)));
        assert_eq!(
            app.form.focused_field().map(|f| f.key.as_str()),
            Some("amount")
        );
        type_text(&mut app, "2500");
        app.update(testing::ctrl('g'));
        // The customer ID is left to the desk (made from the mobile number once typed).
        assert_eq!(app.form.section(), Section::Customer);
        assert_eq!(app.form.form.get(keys::CUSTOMER_ID), "");
        assert_eq!(
            app.form.focused_field().map(|f| f.key.as_str()),
            Some(keys::CUSTOMER_EMAIL)
        );
        assert_eq!(app.form.form.get(keys::AMOUNT), "2500.00");
        for _ in 0..20 {
            let before = (app.form.tab, app.form.focus);
            app.update(testing::key(KeyCode::F(5)));
            if before == (app.form.tab, app.form.focus) {
                break;
            }
            type_text(&mut app, "x");
        }
        assert!(
            app.toast
                .as_ref()
                .is_some_and(|t| t.text == strings::all_required_filled())
        );
    }

    fn focused_key(app: &App) -> Option<&str> {
        app.form.focused_field().map(|f| f.key.as_str())
    }

    #[test]
    fn auto_advance_starts_at_the_first_empty_field_and_leaves_complete_values() {
        let mut app = desk_app_moving(Start::Blank, true);
        assert_eq!(focused_key(&app), Some(keys::AMOUNT));
        // An amount may go on (`/-`): it never moves by itself.
        type_text(&mut app, "45,999.50");
        assert_eq!(focused_key(&app), Some(keys::AMOUNT));
        assert!(app.form.focus_key(keys::CUSTOMER_PHONE));
        app.form.load_input();
        type_text(&mut app, "+91 98765 4321");
        assert_eq!(focused_key(&app), Some(keys::CUSTOMER_PHONE));
        type_text(&mut app, "0");
        // Left as Tab leaves it: written in wire format, the customer ID made from it.
        assert_eq!(focused_key(&app), Some(keys::CUSTOMER_DOB));
        assert_eq!(app.form.form.get(keys::CUSTOMER_PHONE), "9876543210");
        assert_eq!(app.form.form.get(keys::CUSTOMER_ID), "9876543210");
        type_text(&mut app, "14/03/1990");
        assert_ne!(focused_key(&app), Some(keys::CUSTOMER_DOB));
        assert_eq!(app.form.form.get(keys::CUSTOMER_DOB), "14-03-1990");
        // A choice moves on once one option alone starts with the letters typed.
        assert!(app.form.focus_key(keys::CUSTOMER_EMPLOYMENT_TYPE));
        type_text(&mut app, "s");
        assert_eq!(focused_key(&app), Some(keys::CUSTOMER_EMPLOYMENT_TYPE));
        type_text(&mut app, "a");
        assert_ne!(focused_key(&app), Some(keys::CUSTOMER_EMPLOYMENT_TYPE));
        assert_eq!(
            app.form.form.get(keys::CUSTOMER_EMPLOYMENT_TYPE),
            "SALARIED"
        );
        // A value typed with the caret inside it is an edit, not the end of typing.
        assert!(app.form.focus_key(keys::CUSTOMER_PINCODE));
        app.form.load_input();
        type_text(&mut app, "56034");
        app.update(testing::key(KeyCode::Left));
        app.update(testing::key(KeyCode::Left));
        type_text(&mut app, "0");
        assert_eq!(focused_key(&app), Some(keys::CUSTOMER_PINCODE));
    }

    #[test]
    fn a_choice_typed_in_full_does_not_spill_into_the_next_fields() {
        let mut app = desk_app_moving(Start::Blank, true);
        assert!(app.form.focus_key(keys::CUSTOMER_GENDER));
        type_text(&mut app, "female");
        assert_eq!(app.form.form.get(keys::CUSTOMER_GENDER), "Female");
        // `m` of "female" did not pick Married.
        assert_eq!(app.form.form.get(keys::CUSTOMER_MARITAL_STATUS), "");
        assert_eq!(focused_key(&app), Some(keys::CUSTOMER_MARITAL_STATUS));
        type_text(&mut app, "Married");
        assert_eq!(app.form.form.get(keys::CUSTOMER_MARITAL_STATUS), "Married");
        assert_eq!(app.form.form.get(keys::CUSTOMER_HIGHEST_EDUCATION), "");
        // `g` alone, then the address: its first letter matched "raduate" and was held
        // back, and is typed the moment the next one does not match.
        type_text(&mut app, "gRing Road");
        assert_eq!(
            app.form.form.get(keys::CUSTOMER_HIGHEST_EDUCATION),
            "Graduate"
        );
        assert_eq!(app.form.form.get("customer_address_line1"), "Ring Road");
        // Separators do not count: `self-employed` spells SELF_EMPLOYED.
        assert!(app.form.focus_key(keys::CUSTOMER_EMPLOYMENT_TYPE));
        type_text(&mut app, "self-employed");
        assert_eq!(
            app.form.form.get(keys::CUSTOMER_EMPLOYMENT_TYPE),
            "SELF_EMPLOYED"
        );
        assert_eq!(app.form.form.get(keys::ORIGIN), "");
        // `h` goes on with `p` (Ph.D) instead of opening the history.
        assert!(app.form.focus_key(keys::CUSTOMER_HIGHEST_EDUCATION));
        type_text(&mut app, "phd");
        assert_eq!(app.form.form.get(keys::CUSTOMER_HIGHEST_EDUCATION), "Ph.D");
        assert!(app.overlay.is_none() && app.focus == crate::tui::state::Focus::Form);
    }

    #[test]
    fn a_date_nothing_can_mend_is_refused_as_soon_as_its_year_is_typed() {
        let mut app = desk_app_moving(Start::Blank, true);
        assert!(app.form.focus_key(keys::CUSTOMER_DOB));
        app.form.load_input();
        type_text(&mut app, "31/02/1990");
        assert_eq!(focused_key(&app), Some(keys::CUSTOMER_DOB));
        let problem = app.form.problems.get(keys::CUSTOMER_DOB).cloned();
        assert!(
            problem.as_deref().is_some_and(|p| p.contains("28 days")),
            "{problem:?}"
        );
        // Mended, it moves on.
        app.update(testing::ctrl('u'));
        type_text(&mut app, "14/03/1990");
        assert_ne!(focused_key(&app), Some(keys::CUSTOMER_DOB));
        assert!(!app.form.problems.contains_key(keys::CUSTOMER_DOB));
    }

    #[test]
    fn a_customer_id_made_from_the_mobile_number_follows_its_correction() {
        let mut app = desk_app(Start::Blank);
        assert!(app.form.focus_key(keys::CUSTOMER_PHONE));
        app.form.load_input();
        type_text(&mut app, "98755 43210");
        app.update(testing::key(KeyCode::Tab));
        assert_eq!(app.form.form.get(keys::CUSTOMER_ID), "9875543210");
        // The clerk corrects the typo.
        assert!(app.form.focus_key(keys::CUSTOMER_PHONE));
        app.form.load_input();
        app.update(testing::ctrl('u'));
        type_text(&mut app, "98765 43210");
        app.update(testing::key(KeyCode::Tab));
        assert_eq!(app.form.form.get(keys::CUSTOMER_ID), "9876543210");
        assert_eq!(
            app.form.origins.get(keys::CUSTOMER_ID),
            Some(&Origin::Generated)
        );
        // No mobile number, no ID made from it.
        assert!(app.form.focus_key(keys::CUSTOMER_PHONE));
        app.form.load_input();
        app.update(testing::ctrl('u'));
        app.update(testing::key(KeyCode::Tab));
        assert_eq!(app.form.form.get(keys::CUSTOMER_ID), "");
        // An ID the clerk typed is the clerk's: a new number leaves it.
        assert!(app.form.focus_key(keys::CUSTOMER_ID));
        app.form.load_input();
        type_text(&mut app, "CUST-7");
        assert!(app.form.focus_key(keys::CUSTOMER_PHONE));
        app.form.load_input();
        type_text(&mut app, "98765 43210");
        app.update(testing::key(KeyCode::Tab));
        assert_eq!(app.form.form.get(keys::CUSTOMER_ID), "CUST-7");
    }

    /// A narrow screen's history pane covers the form; a key that gives the form the
    /// keys (a tab key) takes the pane away too (a clerk probe typed into a hidden field).
    #[test]
    fn a_tab_key_from_the_narrow_history_pane_shows_the_form() {
        let mut app = desk_app(Start::Blank);
        assert!(!crate::tui::layout::wide(app.size.0));
        app.update(testing::key(KeyCode::F(6)));
        assert!(app.history.shown);
        app.update(testing::alt('1'));
        assert_eq!(app.focus, crate::tui::state::Focus::Form);
        assert!(
            !app.history.shown,
            "the pane would cover the form taking the keys"
        );
    }

    /// Back from an environment that cannot send, nothing said about it stays (a clerk
    /// probe saw sandbox's "sending is off" and its client failure under DEMO).
    #[test]
    fn switching_back_drops_what_was_said_about_the_environment_left() {
        let mut app = desk_app(Start::Blank);
        let demo = settings(&std::env::temp_dir(), "travel");
        let mut sandbox = demo.clone();
        sandbox.environment.name = "sandbox".into();
        sandbox.environment.kind = crate::config::EnvKind::Sandbox;
        sandbox.environment.api_key = None;
        sandbox.environment.base_url = Some("https://sandbox.juspay.in".into());
        app.update(Msg::EnvSwitched(Box::new(sandbox)));
        assert!(app.notice.is_some());
        app.update(Msg::ClientFailed {
            env_name: "sandbox".into(),
            message: "no API key".into(),
        });
        assert!(app.banners.iter().any(|b| b.starts_with("sandbox: ")));
        app.update(Msg::EnvSwitched(Box::new(demo)));
        assert_eq!(app.env.name, "demo");
        assert!(app.notice.is_none(), "{:?}", app.notice);
        assert!(!app.banners.iter().any(|b| b.starts_with("sandbox: ")));
    }

    /// A copy from the history (`y`) is the clerk's data: it is saved as the draft, so
    /// it comes back at the next start (found by a clerk probe: the old draft came back).
    #[test]
    fn an_order_copied_from_the_history_is_saved_as_the_draft() {
        let mut app = desk_app(Start::Blank);
        let body = r#"{"amount":"999.00","customer_email":"asha@example.com"}"#;
        app.reuse("O1", body);
        let effects = app.update(Msg::Tick);
        let generation = effects
            .iter()
            .find_map(|e| match e {
                Effect::After { msg, .. } => match **msg {
                    Msg::DraftDue(g) => Some(g),
                    _ => None,
                },
                _ => None,
            })
            .expect("a draft save is scheduled");
        let effects = app.update(Msg::DraftDue(generation));
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::WriteDraft(json) if json.contains("999.00"))),
            "{effects:?}"
        );
    }

    #[test]
    fn without_auto_advance_the_cursor_moves_only_when_told() {
        let mut app = desk_app(Start::Blank);
        assert_eq!(focused_key(&app), Some(keys::ORDER_ID));
        assert!(app.form.focus_key(keys::CUSTOMER_PHONE));
        app.form.load_input();
        type_text(&mut app, "98765 43210");
        assert_eq!(focused_key(&app), Some(keys::CUSTOMER_PHONE));
        assert!(app.form.focus_key(keys::CUSTOMER_GENDER));
        type_text(&mut app, "f");
        assert_eq!(focused_key(&app), Some(keys::CUSTOMER_GENDER));
    }

    #[test]
    fn all_fields_shows_the_fields_the_profile_does_not_use_and_keeps_focus() {
        let mut app = desk_app(Start::Blank);
        let shown = app.form.fields.len();
        assert!(!app.form.fields.iter().any(|f| f.key == "first_name"));
        assert!(app.form.focus_key(keys::CUSTOMER_EMAIL));
        app.update(testing::key(KeyCode::F(9)));
        assert!(app.form.fields.len() > shown);
        assert!(app.form.fields.iter().any(|f| f.key == "first_name"));
        assert_eq!(
            app.form.focused_field().map(|f| f.key.as_str()),
            Some(keys::CUSTOMER_EMAIL)
        );
        app.update(testing::key(KeyCode::F(9)));
        assert_eq!(app.form.fields.len(), shown);
        // A hidden field that holds a value is shown (nothing is sent unseen).
        let mut form = crate::session::Form::default();
        form.set("first_name", "Asha");
        let app = desk_app(Start::Import(form));
        assert!(app.form.fields.iter().any(|f| f.key == "first_name"));
    }

    #[test]
    fn a_tabs_problem_count_stays_until_the_problem_is_fixed() {
        let mut app = desk_app(Start::Blank);
        app.update(testing::ctrl('s'));
        let customer = app.form.problem_count(Section::Customer);
        assert!(customer > 0);
        // Tab through every field of the customer tab without typing.
        app.form.set_tab(
            app.form
                .tabs
                .iter()
                .position(|s| *s == Section::Customer)
                .unwrap_or(0),
        );
        for _ in 0..app.form.items().len() {
            app.update(testing::key(KeyCode::Tab));
        }
        assert_eq!(app.form.problem_count(Section::Customer), customer);
        // Fixing one drops it.
        assert!(app.form.focus_key(keys::CUSTOMER_EMAIL));
        type_text(&mut app, "asha@example.com");
        app.update(testing::key(KeyCode::Tab));
        assert_eq!(app.form.problem_count(Section::Customer), customer - 1);
        // Typing into a missing field and clearing it again leaves it missing.
        assert!(app.form.focus_key(keys::CUSTOMER_FIRST_NAME));
        type_text(&mut app, "A");
        app.update(testing::ctrl('u'));
        app.update(testing::key(KeyCode::Tab));
        assert_eq!(app.form.problem_count(Section::Customer), customer - 1);
        assert!(app.form.problems.contains_key(keys::CUSTOMER_FIRST_NAME));
        // A problem only the full check finds (the trip ends before it starts) stays
        // when the field is merely passed through.
        app.form.form.set(keys::TRAVEL_START_DATE, "27-Jan-2027");
        app.form.form.set(keys::TRAVEL_END_DATE, "20-Jan-2027");
        app.update(testing::ctrl('s'));
        assert!(app.form.problems.contains_key(keys::TRAVEL_END_DATE));
        assert!(app.form.focus_key(keys::TRAVEL_END_DATE));
        app.update(testing::key(KeyCode::Tab));
        assert!(app.form.problems.contains_key(keys::TRAVEL_END_DATE));
    }

    fn asha() -> ReturningCustomer {
        ReturningCustomer {
            order_id: "PD1".into(),
            created_at: "2026-11-20T10:00:00Z".into(),
            details: [
                (keys::CUSTOMER_ID, "CUST-ASHA"),
                (keys::CUSTOMER_FIRST_NAME, "Asha"),
                (keys::CUSTOMER_LAST_NAME, "Rao"),
                (keys::CUSTOMER_EMAIL, "asha.rao@example.com"),
                (keys::CUSTOMER_PHONE, "9876543210"),
                (keys::CUSTOMER_EMPLOYMENT_TYPE, "Salaried"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        }
    }

    #[test]
    fn a_known_phone_offers_the_customer_for_one_key() {
        let mut app = desk_app(Start::Blank);
        assert!(app.form.focus_key(keys::CUSTOMER_PHONE));
        type_text(&mut app, "+91 98765 43210");
        let effects = app.update(testing::key(KeyCode::Tab));
        let asked = lookups(&effects);
        let generation = asked.first().map_or(0, |a| a.0);
        assert_eq!(
            asked,
            [(generation, CustomerKey::Phone("9876543210".into()))]
        );
        // Leaving the same number again asks nothing more.
        assert!(app.form.focus_key(keys::CUSTOMER_PHONE));
        assert!(lookups(&app.update(testing::key(KeyCode::Tab))).is_empty());
        // A stale answer is ignored; the newest is offered.
        app.update(Msg::CustomerFound {
            generation: generation - 1,
            found: Some(asha()),
        });
        assert!(app.form.returning.is_none());
        app.update(Msg::CustomerFound {
            generation,
            found: Some(asha()),
        });
        assert!(app.form.returning.is_some());
        // Any other key ignores the offer and does what it always does.
        assert!(app.form.focus_key(keys::CUSTOMER_EMAIL));
        type_text(&mut app, "a");
        assert!(app.form.returning.is_none());
        assert_eq!(app.form.input.text(), "a");
        assert_eq!(app.form.form.get(keys::CUSTOMER_FIRST_NAME), "");
        // The accept key fills the empty fields, keeps typed ones, and replaces the
        // generated customer ID with the customer's own.
        app.update(Msg::CustomerFound {
            generation,
            found: Some(asha()),
        });
        assert_eq!(
            app.form.origins.get(keys::CUSTOMER_ID),
            Some(&Origin::Generated)
        );
        app.update(testing::key(KeyCode::Enter));
        assert!(app.form.returning.is_none());
        assert_eq!(app.form.form.get(keys::CUSTOMER_FIRST_NAME), "Asha");
        assert_eq!(app.form.form.get(keys::CUSTOMER_LAST_NAME), "Rao");
        assert_eq!(app.form.form.get(keys::CUSTOMER_EMAIL), "a");
        assert_eq!(app.form.form.get(keys::CUSTOMER_ID), "CUST-ASHA");
        // A value as sent, matched to the catalogue's canonical value.
        assert_eq!(
            app.form.form.get(keys::CUSTOMER_EMPLOYMENT_TYPE),
            "SALARIED"
        );
        assert_eq!(
            app.form.focused_field().map(|f| f.key.as_str()),
            Some(keys::CUSTOMER_EMAIL)
        );
        // An offer that would fill nothing is not made.
        app.update(Msg::CustomerFound {
            generation,
            found: Some(asha()),
        });
        assert!(app.form.returning.is_none());
        // An answer due for a form since replaced is not offered on the new one.
        app.new_order(crate::session::Form::default());
        app.update(Msg::CustomerFound {
            generation,
            found: Some(asha()),
        });
        assert!(app.form.returning.is_none());
    }

    #[test]
    fn travel_types_are_offered_and_free_text_stays_allowed() {
        let mut app = desk_app(Start::Blank);
        assert!(app.form.focus_key("metadata.travel_type"));
        assert!(app.scopes().contains(&crate::tui::keymap::Scope::Offered));
        app.update(testing::ctrl('l'));
        assert!(
            app.popup_as::<crate::tui::popup::picker::Picker<Then>>()
                .is_some()
        );
        app.update(testing::key(KeyCode::Down));
        app.update(testing::key(KeyCode::Enter));
        assert_eq!(app.form.form.get("metadata.travel_type"), "Visa");
        assert!(app.form.focus_key("metadata.travel_type"));
        assert_eq!(app.form.input.text(), "Visa");
        app.update(testing::ctrl('u'));
        type_text(&mut app, "Cruise");
        app.update(testing::key(KeyCode::Tab));
        assert_eq!(app.form.form.get("metadata.travel_type"), "Cruise");
        assert!(!app.form.problems.contains_key("metadata.travel_type"));
    }
}
