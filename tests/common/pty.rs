//! The real binary in a 120×40 pseudo-terminal, for the end-to-end tests and drills.
//! Included with `#[path]` by the tests that drive a terminal, so the CLI tests don't carry it.
#![allow(dead_code)] // each test file uses a different subset

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub const ROWS: u16 = 40;
pub const COLS: u16 = 120;
pub const WAIT: Duration = Duration::from_secs(30);

pub struct Running {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    keys: Box<dyn Write + Send>,
    bytes: Arc<Mutex<Vec<u8>>>,
    pub home: tempfile::TempDir,
}

/// Starts paydesk in a fresh home with only the given variables (plus PATH, TERM and the
/// home directories): none of the person's JUSPAY_*/PAYDESK_* settings reach it.
pub fn spawn(args: &[&str], vars: &[(&str, &str)]) -> Running {
    let home = tempfile::tempdir().expect("temp home");
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_paydesk"));
    cmd.args(args);
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    cmd.env_clear();
    cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", home.path());
    cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let child = pty.slave.spawn_command(cmd).expect("spawn paydesk");
    drop(pty.slave);
    let bytes = Arc::new(Mutex::new(Vec::new()));
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let sink = bytes.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut all) = sink.lock() {
                all.extend_from_slice(&buf[..n]);
            }
        }
    });
    let keys = pty.master.take_writer().expect("writer");
    Running {
        child,
        master: pty.master,
        keys,
        bytes,
        home,
    }
}

impl Running {
    /// Everything the program has written so far.
    pub fn output(&self) -> Vec<u8> {
        self.bytes.lock().map(|b| b.clone()).unwrap_or_default()
    }

    pub fn parse(&self) -> vt100::Parser {
        let mut parser = vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).expect("rows"),
            std::num::NonZeroU16::new(COLS).expect("cols"),
            0,
        );
        parser.process(&self.output());
        parser
    }

    /// Polls the screen until `done` holds; panics with the screen after `WAIT`.
    pub fn wait_for(&self, what: &str, done: impl Fn(&vt100::Screen) -> bool) -> vt100::Parser {
        let deadline = Instant::now() + WAIT;
        loop {
            let parser = self.parse();
            if done(parser.screen()) {
                return parser;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}:\n{}",
                parser.screen().contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn press(&mut self, bytes: &[u8]) {
        self.keys.write_all(bytes).expect("write keys");
        self.keys.flush().expect("flush");
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "paydesk did not end:\n{}",
                self.parse().screen().contents()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Cooked mode with echo (raw mode off), read from the terminal itself.
    pub fn assert_raw_mode_off(&self) {
        #[cfg(unix)]
        if let Some(fd) = self.master.as_raw_fd() {
            // SAFETY: an all-zero termios is a valid value for tcgetattr to overwrite.
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            // SAFETY: fd is the open master of the pty; `t` is a valid termios to fill.
            assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
            assert_ne!(t.c_lflag & libc::ICANON, 0, "canonical mode (raw mode off)");
            assert_ne!(t.c_lflag & libc::ECHO, 0, "echo restored");
            assert_ne!(t.c_oflag & libc::OPOST, 0, "output processing restored");
        }
    }

    /// The output once the last switch back to the main screen has arrived (the reader
    /// thread may still be delivering the last bytes).
    pub fn final_output(&self) -> Vec<u8> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let out = self.output();
            let left = rposition(&out, b"\x1b[?1049l");
            if left > rposition(&out, b"\x1b[?1049h") || Instant::now() > deadline {
                return out;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Where `needle` last occurs in `haystack`.
pub fn rposition(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The link as printed beside the QR: the `Link` row and its continuation rows.
pub fn link_text(screen: &vt100::Screen) -> String {
    const LABEL: &str = "Link       ";
    let rows: Vec<Vec<char>> = screen.rows(0, COLS).map(|r| r.chars().collect()).collect();
    let label: Vec<char> = LABEL.chars().collect();
    let Some((start, col)) = rows.iter().enumerate().find_map(|(i, r)| {
        r.windows(label.len())
            .position(|w| w == label.as_slice())
            .map(|c| (i, c))
    }) else {
        return String::new();
    };
    let value_col = col + label.len();
    let mut link = String::new();
    for (i, row) in rows.iter().enumerate().skip(start) {
        let head: String = row.iter().skip(col).take(label.len()).collect();
        if i > start && !head.trim().is_empty() {
            break;
        }
        let value: String = row
            .iter()
            .skip(value_col)
            .take_while(|c| **c != '│' && **c != ' ')
            .collect();
        if value.is_empty() {
            break;
        }
        link.push_str(&value);
    }
    link
}
