//! The real binary in a pseudo-terminal (120×40), in demo mode: send the travel sample,
//! find the link and the QR code on screen (decoded from the terminal's cells), quit with
//! Ctrl-Q, and find the terminal restored (main screen, modes off, cooked mode).

#[path = "common/pty.rs"]
mod pty;

use pty::{COLS, ROWS, Running, link_text, rposition, spawn};

/// The screen as pixels (two per cell), dark where the QR's black is; only cells in the
/// QR's colours (black 16 on white 231) count.
fn decode_qr(screen: &vt100::Screen) -> Vec<String> {
    const PX: usize = 4;
    let (w, h) = (COLS as usize, ROWS as usize * 2);
    let mut dark = vec![false; w * h];
    for row in 0..ROWS {
        for col in 0..COLS {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            if cell.bgcolor() != vt100::Color::Idx(231) {
                continue;
            }
            let black = cell.fgcolor() == vt100::Color::Idx(16);
            let (upper, lower) = match cell.contents() {
                "█" => (black, black),
                "▀" => (black, false),
                "▄" => (false, black),
                _ => (false, false),
            };
            let (x, y) = (col as usize, row as usize * 2);
            dark[y * w + x] = upper;
            dark[(y + 1) * w + x] = lower;
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w * PX, h * PX, |x, y| {
        if dark[(y / PX) * w + x / PX] { 0 } else { 255 }
    });
    image
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, t)| t))
        .collect()
}

/// Waits for the process to end and checks the terminal was put back: cooked mode with
/// echo, main screen, mouse and paste modes off, cursor shown.
fn expect_exit_with_terminal_restored(run: &mut Running) {
    let status = run.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    run.assert_raw_mode_off();
    let out = run.final_output();
    let last = |needle: &[u8]| rposition(&out, needle);
    let entered = last(b"\x1b[?1049h").expect("entered the alternate screen");
    let left = last(b"\x1b[?1049l").expect("left the alternate screen");
    assert!(
        left > entered,
        "the last screen switch leaves the alternate screen"
    );
    for mode_off in [&b"\x1b[?1000l"[..], b"\x1b[?2004l", b"\x1b[?25h"] {
        let off = last(mode_off)
            .unwrap_or_else(|| panic!("{:?} never sent", String::from_utf8_lossy(mode_off)));
        assert!(
            off > entered,
            "{:?} after entering",
            String::from_utf8_lossy(mode_off)
        );
    }
    let parser = run.parse();
    assert!(
        !parser.screen().alternate_screen(),
        "back on the main screen"
    );
    assert!(!parser.screen().bracketed_paste());
    assert_eq!(
        parser.screen().mouse_protocol_mode(),
        vt100::MouseProtocolMode::None
    );
}

#[test]
fn demo_send_shows_a_scannable_qr_and_quitting_restores_the_terminal() {
    let mut run = spawn(&["--demo", "--from", "assets/samples/travel.json"], &[]);
    // The desk opens with the sample in the form, on the alternate screen.
    let parser = run.wait_for("the form", |s| {
        s.contents().contains("test_1") && s.contents().contains("DEMO")
    });
    assert!(parser.screen().alternate_screen());

    // Ctrl-S sends; the result shows the link and its QR code.
    run.press(b"\x13");
    let parser = run.wait_for("the payment link", |s| {
        s.contents().contains("payment-page/order/") && !decode_qr(s).is_empty()
    });
    let decoded = decode_qr(parser.screen());
    let printed = link_text(parser.screen());
    assert!(
        printed.starts_with("http://127.0.0.1:"),
        "{printed}\n{}",
        parser.screen().contents()
    );
    assert!(printed.contains("/payment-page/order/"), "{printed}");
    assert_eq!(
        decoded,
        [printed],
        "the QR on screen decodes to the printed link"
    );

    // Ctrl-Q quits at once (nothing in flight) and restores the terminal.
    run.press(b"\x11");
    expect_exit_with_terminal_restored(&mut run);
}

#[cfg(unix)]
#[test]
fn sigterm_sighup_sigint_and_sigquit_restore_the_terminal() {
    for signal in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT] {
        let mut run = spawn(&["--demo"], &[]);
        run.wait_for("the form", |s| s.contents().contains("Order ID"));
        let pid = run.child.process_id().expect("pid") as libc::pid_t;
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        expect_exit_with_terminal_restored(&mut run);
    }
}

/// The process state letter from /proc (`T` when stopped).
fn state_of(pid: libc::pid_t) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ...": the state follows the last ')'.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

#[test]
#[cfg(target_os = "linux")]
fn ctrl_z_suspends_with_the_terminal_restored_and_resumes_with_a_full_redraw() {
    let mut run = spawn(&["--demo"], &[]);
    run.wait_for("the form", |s| s.contents().contains("Order ID"));
    let pid = run.child.process_id().expect("pid") as libc::pid_t;
    run.press(b"\x1a");
    let deadline = std::time::Instant::now() + pty::WAIT;
    while state_of(pid) != Some('T') {
        assert!(std::time::Instant::now() < deadline, "paydesk did not stop");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    run.assert_raw_mode_off();
    let out = run.final_output();
    assert!(
        rposition(&out, b"\x1b[?1049l") > rposition(&out, b"\x1b[?1049h"),
        "suspended on the main screen"
    );
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGCONT) }, 0);
    // Entering the alternate screen clears it: the form shows again only if redrawn whole.
    run.wait_for("the redrawn form", |s| {
        s.alternate_screen() && s.contents().contains("Order ID")
    });
    run.press(b"\x11");
    expect_exit_with_terminal_restored(&mut run);
}

#[test]
fn a_bad_from_file_gives_a_message_and_a_blank_form() {
    let mut run = spawn(&["--demo", "--from", "no-such-file.json"], &[]);
    // Under load the message and the form's fresh order id can reach the screen in
    // different frames: wait for both (either one missing times out and fails).
    run.wait_for("the message over a blank form with a fresh order id", |s| {
        s.contents().contains("Could not read no-such-file.json")
            && s.contents().contains("(generated)")
    });
    run.press(b"\x11");
    expect_exit_with_terminal_restored(&mut run);
}
