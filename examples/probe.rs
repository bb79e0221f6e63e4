//! A pseudo-terminal probe for whole-program figures (used by `benches/startup.sh`).
//!
//! ```text
//! probe startup [--runs N] --marker TEXT -- CMD ARGS…   launch → TEXT on screen; peak RSS
//! probe send    [--runs N] --ready TEXT --marker TEXT -- CMD…  Ctrl-S → TEXT on screen
//! probe idle    --ready TEXT [--seconds S] -- CMD…       CPU time used while idle
//! ```
//! The program runs in a 120×40 PTY; its output goes through a VT100 parser (`vt100`), and
//! cursor-position / device-attribute queries are answered as a real terminal would.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    rx: mpsc::Receiver<Vec<u8>>,
    parser: vt100::Parser,
    started: Instant,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn spawn(cmd: &[String]) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let mut builder = CommandBuilder::new(&cmd[0]);
        builder.args(&cmd[1..]);
        builder.env("TERM", "xterm-256color");
        if let Ok(dir) = std::env::current_dir() {
            builder.cwd(dir);
        }
        let started = Instant::now();
        let child = pty.slave.spawn_command(builder).expect("spawn");
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Session {
            child,
            writer,
            rx,
            parser: vt100::Parser::new(
                NonZeroU16::MIN.saturating_add(39),
                NonZeroU16::MIN.saturating_add(119),
                0,
            ),
            started,
            _master: pty.master,
        }
    }

    /// Feeds whatever output arrived within `wait`; answers terminal queries.
    fn pump(&mut self, wait: Duration) -> bool {
        match self.rx.recv_timeout(wait) {
            Ok(bytes) => {
                if contains(&bytes, b"\x1b[6n") {
                    let _ = self.writer.write_all(b"\x1b[1;1R");
                }
                if contains(&bytes, b"\x1b[c") || contains(&bytes, b"\x1b[0c") {
                    let _ = self.writer.write_all(b"\x1b[?62;22c");
                }
                if contains(&bytes, b"\x1b[?u") {
                    let _ = self.writer.write_all(b"\x1b[?0u");
                }
                self.parser.process(&bytes);
                true
            }
            Err(_) => false,
        }
    }

    /// Time since spawn when `marker` first shows on screen.
    fn wait_for(&mut self, marker: &str, timeout: Duration) -> Option<Duration> {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            if self.parser.screen().contents().contains(marker) {
                return Some(self.started.elapsed());
            }
            self.pump(Duration::from_millis(2));
        }
        None
    }

    fn settle(&mut self, quiet: Duration) {
        while self.pump(quiet) {}
    }

    fn pid(&self) -> u32 {
        self.child.process_id().unwrap_or(0)
    }

    fn quit(mut self) {
        let _ = self.writer.write_all(b"\x11");
        let end = Instant::now() + Duration::from_secs(3);
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            self.pump(Duration::from_millis(10));
        }
        let _ = self.child.kill();
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Peak RSS (VmHWM) of a process, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    proc_field(pid, "status", "VmHWM:").unwrap_or(0)
}

fn proc_field(pid: u32, file: &str, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// utime + stime of a process in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    let hz = 100.0; // USER_HZ on Linux
    ticks * 1000.0 / hz
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

struct Args {
    verb: String,
    runs: usize,
    marker: String,
    ready: String,
    seconds: f64,
    cmd: Vec<String>,
}

fn parse_args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        verb: it.next().unwrap_or_default(),
        runs: 5,
        marker: String::new(),
        ready: String::new(),
        seconds: 10.0,
        cmd: Vec::new(),
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(5),
            "--marker" => a.marker = it.next().unwrap_or_default(),
            "--ready" => a.ready = it.next().unwrap_or_default(),
            "--seconds" => a.seconds = it.next().and_then(|v| v.parse().ok()).unwrap_or(10.0),
            "--" => {
                a.cmd = it.collect();
                break;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(
        !a.cmd.is_empty(),
        "usage: probe startup|send|idle [options] -- CMD ARGS…"
    );
    a
}

fn main() {
    let a = parse_args();
    let timeout = Duration::from_secs(20);
    match a.verb.as_str() {
        "startup" => {
            let (mut times, mut rss) = (Vec::new(), Vec::new());
            for _ in 0..a.runs {
                let mut s = Session::spawn(&a.cmd);
                let t = s.wait_for(&a.marker, timeout).unwrap_or_else(|| {
                    panic!(
                        "marker {:?} not seen; screen:\n{}",
                        a.marker,
                        s.parser.screen().contents()
                    )
                });
                s.settle(Duration::from_millis(300));
                rss.push(peak_rss_kib(s.pid()) as f64);
                times.push(t.as_secs_f64() * 1000.0);
                s.quit();
            }
            println!(
                "first_frame_ms={:.1} peak_rss_kib={:.0} runs={}",
                median(times),
                median(rss),
                a.runs
            );
        }
        "send" => {
            let mut times = Vec::new();
            for _ in 0..a.runs {
                let mut s = Session::spawn(&a.cmd);
                s.wait_for(&a.ready, timeout)
                    .expect("ready marker not seen");
                s.settle(Duration::from_millis(300));
                let t0 = Instant::now();
                let _ = s.writer.write_all(b"\x13"); // Ctrl-S
                let end = t0 + timeout;
                let mut seen = None;
                while Instant::now() < end {
                    if s.parser.screen().contents().contains(&a.marker) {
                        seen = Some(t0.elapsed());
                        break;
                    }
                    s.pump(Duration::from_millis(1));
                }
                let t = seen.unwrap_or_else(|| {
                    panic!(
                        "marker {:?} not seen; screen:\n{}",
                        a.marker,
                        s.parser.screen().contents()
                    )
                });
                times.push(t.as_secs_f64() * 1000.0);
                s.quit();
            }
            println!("send_to_result_ms={:.1} runs={}", median(times), a.runs);
        }
        "idle" => {
            let mut s = Session::spawn(&a.cmd);
            s.wait_for(&a.ready, timeout)
                .expect("ready marker not seen");
            s.settle(Duration::from_millis(500));
            let before = cpu_ms(s.pid());
            let end = Instant::now() + Duration::from_secs_f64(a.seconds);
            let mut bytes_seen = 0usize;
            while Instant::now() < end {
                if let Ok(b) = s.rx.recv_timeout(Duration::from_millis(50)) {
                    bytes_seen += b.len();
                    s.parser.process(&b);
                }
            }
            let used = cpu_ms(s.pid()) - before;
            println!(
                "idle_cpu_ms={used:.0} over_s={} output_bytes_while_idle={bytes_seen}",
                a.seconds
            );
            s.quit();
        }
        other => panic!("unknown verb {other:?}; use startup, send or idle"),
    }
}
