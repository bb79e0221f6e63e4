//! The desk keeps trying to open the history: a failure at start (here the data directory
//! is blocked by a file of the same name) is shown with the directory and the reason, and
//! once the cause is gone the history opens without a restart.

use std::time::Duration;

use paydesk::tui::app::Start;
use paydesk::tui::testing::{self, Desk};
use paydesk::tui::theme::Theme;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_history_that_cannot_open_at_start_opens_once_the_cause_is_gone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = testing::settings(dir.path(), "generic");
    let db = settings.paths.history_db();
    let data_dir = db.parent().expect("data dir").to_path_buf();
    std::fs::create_dir_all(data_dir.parent().expect("root")).expect("root");
    std::fs::write(&data_dir, b"not a directory").expect("blocking file");

    let app = testing::app(
        dir.path(),
        "generic",
        Theme::dark(),
        Start::Blank,
        (120, 40),
    );
    let mut desk = Desk::new(app, settings.clone());
    desk.runner.open_store();
    assert!(
        desk.settle_until(WAIT, |a| a.history.open_failure.is_some())
            .await,
        "the failure is reported"
    );
    let shown = data_dir.display().to_string();
    assert!(
        desk.app.banners.iter().any(|b| b.contains(&shown)),
        "the banner names the directory: {:?}",
        desk.app.banners
    );
    assert!(!desk.app.history.available);

    std::fs::remove_file(&data_dir).expect("unblock");
    assert!(
        desk.settle_until(WAIT, |a| a.history.available).await,
        "the history opens after the cause is gone"
    );
    assert!(desk.app.history.open_failure.is_none());
    assert!(
        !desk.app.banners.iter().any(|b| b.contains(&shown)),
        "the banner went: {:?}",
        desk.app.banners
    );
    assert!(db.exists());
}
