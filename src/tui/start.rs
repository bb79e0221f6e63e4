//! Building the desk's starting state from `AppInit`.

use crate::session::{Form, ProfileSet};
use crate::tui::app::*;
use crate::tui::form_state::{FormState, ORDER_ID_KEY};
use crate::tui::history_pane::HistoryPane;
use crate::tui::strings;

impl App {
    pub fn new(init: AppInit) -> App {
        let AppInit {
            settings,
            mut profiles,
            problems,
            theme,
            clock,
            seed,
            utc_offset,
            start,
            size,
        } = init;
        // An explicit --profile wins over a restored draft's profile; the typed values stay.
        let profile_chosen = settings.flags.profile.is_some();
        let mut banners = config_banners(&settings);
        banners.extend(problems);
        let profile = chosen_profile(&mut profiles, &settings.profile, &mut banners);
        let env = EnvInfo::from_env(&settings.environment);
        if let Some(problem) = &env.send_problem {
            banners.push(strings::cannot_send(&env.name, problem));
        }
        let now = clock.now();
        let first = fallback_profile();
        let placeholder = FormState::new(
            profiles.profiles.get(profile).unwrap_or(&first),
            Form::default(),
            None,
        );
        let mut app = App {
            env,
            env_names: settings.env_names.clone(),
            client_ready: false,
            paths: settings.paths.clone(),
            config_file: settings.paths.config_file.display().to_string(),
            poll_interval: settings.poll_interval,
            order_prefix: settings.order_prefix.clone(),
            desk: settings.desk.clone(),
            operator: settings.operator.clone(),
            profiles,
            profile,
            form: placeholder,
            clean_form: None,
            screen: Screen::Form,
            focus: Focus::Form,
            result: None,
            overlay: None,
            screen_part: None,
            send: None,
            rechecks: Rechecks::default(),
            live: Default::default(),
            notice: None,
            history: HistoryPane::default(),
            toast: None,
            banners,
            theme,
            clock,
            now,
            utc_offset,
            size,
            quit: false,
            dirty: true,
            prod_confirmed: false,
            next_id: 0,
            seed,
            draft_gen: 0,
            lookup_gen: 0,
            pending: Vec::new(),
        };
        app.start_with(start, profile_chosen);
        app.form.changed = false;
        if settings.ask_operator {
            app.ask_operator(settings.operators.clone());
        }
        app
    }

    /// The first form: blank, the restored draft (in its profile unless `--profile` chose
    /// one), or the imported request (`--from`).
    fn start_with(&mut self, start: Start, profile_chosen: bool) {
        match start {
            Start::Blank => self.new_order(Form::default()),
            Start::Draft(draft) => {
                if let Some(i) = self
                    .profiles
                    .profiles
                    .iter()
                    .position(|p| p.name == draft.profile)
                    .filter(|_| !profile_chosen)
                {
                    self.profile = i;
                }
                self.load_form(draft.form, draft.generated_order_id);
                let expire = self.toast("Restored the unsent form from last time (draft)", false);
                self.pending.push(expire);
            }
            Start::Import(mut form) => {
                let mut generated = None;
                if form.get(ORDER_ID_KEY).is_empty() {
                    let id = self.generate_order_id();
                    form.set(ORDER_ID_KEY, id.clone());
                    generated = Some(id);
                }
                self.load_form(form, generated);
                self.clean_form = Some(self.form.form().clone());
            }
            Start::ImportFailed(message) => {
                self.banners.push(message);
                self.new_order(Form::default());
            }
        }
    }
}

/// The config's problems (with file and line) and the demo fallback, as start-up banners.
fn config_banners(settings: &crate::config::Settings) -> Vec<String> {
    let mut banners = Vec::new();
    if let Some(notice) = settings.demo_fallback_notice() {
        banners.push(notice);
    }
    for p in &settings.problems {
        let place = match (&p.path, p.line) {
            (Some(path), Some(line)) => format!("{} line {line}: ", path.display()),
            (Some(path), None) => format!("{}: ", path.display()),
            _ => String::new(),
        };
        let hint = p
            .hint
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        banners.push(format!("Config: {place}{}{hint}", p.message));
    }
    banners
}

/// The index of the profile named `name` (the first, with a banner saying so, when there
/// is none by that name); a fallback profile when none loaded at all.
fn chosen_profile(profiles: &mut ProfileSet, name: &str, banners: &mut Vec<String>) -> usize {
    if profiles.profiles.is_empty() {
        profiles.profiles.push(fallback_profile());
    }
    if let Some(i) = profiles.profiles.iter().position(|p| p.name == name) {
        return i;
    }
    if let Err(unknown) = profiles.get_or_explain(name) {
        let fallback = profiles.profiles.first().map_or("", |p| p.name.as_str());
        banners.push(format!("{unknown} Using {fallback}."));
    }
    0
}
