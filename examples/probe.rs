//! A pseudo-terminal probe for whole-program figures (used by `benches/startup.sh`).
//!
//! ```text
//! probe startup [--runs N] --marker TEXT [--then TEXT] [--gone TEXT] -- CMD ARGS…
//!     launch → TEXT on screen (first frame); with --then/--gone also launch → the screen
//!     shows the --then text and no longer the --gone text (ready); peak RSS
//! probe send    [--runs N] --ready TEXT [--gone TEXT] --marker TEXT -- CMD…
//!     Ctrl-S → TEXT on screen (sent once the screen shows --ready and not --gone)
//! probe idle    --ready TEXT [--gone TEXT] [--seconds S] -- CMD…
//!     CPU time used and bytes written to the terminal while nothing happens
//! ```
//! The program runs in a 120×40 PTY; its output goes through a VT100 parser (`vt100`), and
//! cursor-position / device-attribute queries are answered as a real terminal would.
//! Each figure is the median of the runs, printed as `key=value` on one line.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::process::ExitCode;
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
        // A relative program path is taken from the current directory, as a shell would.
        let program = match cmd.first() {
            Some(p) if p.contains('/') => std::fs::canonicalize(p)
                .unwrap_or_else(|e| panic!("{p}: {e}"))
                .into_os_string(),
            Some(p) => p.into(),
            None => panic!("no command"),
        };
        let mut builder = CommandBuilder::new(program);
        builder.args(cmd.get(1..).unwrap_or_default());
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
        self.wait_until(marker, "", timeout)
    }

    /// Time since spawn when the screen shows `shown` and not `gone` (empty: no condition).
    fn wait_until(&mut self, shown: &str, gone: &str, timeout: Duration) -> Option<Duration> {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            let text = self.parser.screen().contents();
            if text.contains(shown) && (gone.is_empty() || !text.contains(gone)) {
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

/// utime + stime of a process in milliseconds (10 ms ticks; counts exited threads too).
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

/// Per thread: nanoseconds on the CPU (`schedstat`, exact) and context switches.
fn threads(pid: u32) -> HashMap<String, (u64, u64)> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for entry in dir.flatten() {
        let tid = entry.file_name().to_string_lossy().into_owned();
        let base = entry.path();
        let ns = std::fs::read_to_string(base.join("schedstat"))
            .ok()
            .and_then(|t| t.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        let switches = std::fs::read_to_string(base.join("status"))
            .map(|t| {
                t.lines()
                    .filter(|l| l.contains("ctxt_switches:"))
                    .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                    .sum()
            })
            .unwrap_or(0);
        out.insert(tid, (ns, switches));
    }
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

struct Args {
    verb: String,
    runs: usize,
    marker: String,
    then: String,
    ready: String,
    gone: String,
    seconds: f64,
    cmd: Vec<String>,
}

const USAGE: &str = "usage: probe startup|send|idle [options] -- CMD ARGS… (see the source)";

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        verb: it.next().unwrap_or_default(),
        runs: 5,
        marker: String::new(),
        then: String::new(),
        ready: String::new(),
        gone: String::new(),
        seconds: 10.0,
        cmd: Vec::new(),
    };
    let value = |it: &mut dyn Iterator<Item = String>, name: &str| {
        it.next().ok_or_else(|| format!("{name} needs a value"))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--runs" => {
                a.runs = value(&mut it, "--runs")?
                    .parse()
                    .map_err(|_| "--runs needs a number")?
            }
            "--seconds" => {
                a.seconds = value(&mut it, "--seconds")?
                    .parse()
                    .map_err(|_| "--seconds needs a number")?
            }
            "--marker" => a.marker = value(&mut it, "--marker")?,
            "--then" => a.then = value(&mut it, "--then")?,
            "--ready" => a.ready = value(&mut it, "--ready")?,
            "--gone" => a.gone = value(&mut it, "--gone")?,
            "--" => {
                a.cmd = it.collect();
                break;
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if a.cmd.is_empty() {
        return Err(USAGE.into());
    }
    Ok(a)
}

fn screen_dump(s: &Session) -> String {
    s.parser.screen().contents()
}

fn startup(a: &Args, timeout: Duration) -> Result<(), String> {
    let (mut first, mut ready, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..a.runs {
        let mut s = Session::spawn(&a.cmd);
        let t = s.wait_for(&a.marker, timeout).ok_or_else(|| {
            format!(
                "marker {:?} not seen; screen:\n{}",
                a.marker,
                screen_dump(&s)
            )
        })?;
        first.push(t.as_secs_f64() * 1000.0);
        if !a.then.is_empty() || !a.gone.is_empty() {
            let shown = if a.then.is_empty() {
                &a.marker
            } else {
                &a.then
            };
            let r = s.wait_until(shown, &a.gone, timeout).ok_or_else(|| {
                format!(
                    "ready screen ({shown:?} shown, {:?} gone) not seen; screen:\n{}",
                    a.gone,
                    screen_dump(&s)
                )
            })?;
            ready.push(r.as_secs_f64() * 1000.0);
        }
        s.settle(Duration::from_millis(300));
        rss.push(peak_rss_kib(s.pid()) as f64);
        s.quit();
    }
    let ready = if ready.is_empty() {
        String::new()
    } else {
        format!(
            " ready_ms={:.1} ready_min_ms={:.1}",
            median(ready.clone()),
            min(&ready)
        )
    };
    println!(
        "first_frame_ms={:.1} first_frame_min_ms={:.1}{ready} peak_rss_kib={:.0} runs={}",
        median(first.clone()),
        min(&first),
        median(rss),
        a.runs
    );
    Ok(())
}

fn send(a: &Args, timeout: Duration) -> Result<(), String> {
    let mut times = Vec::new();
    for _ in 0..a.runs {
        let mut s = Session::spawn(&a.cmd);
        s.wait_until(&a.ready, &a.gone, timeout).ok_or_else(|| {
            format!(
                "ready marker {:?} not seen; screen:\n{}",
                a.ready,
                screen_dump(&s)
            )
        })?;
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
        let t = seen.ok_or_else(|| {
            format!(
                "marker {:?} not seen; screen:\n{}",
                a.marker,
                screen_dump(&s)
            )
        })?;
        times.push(t.as_secs_f64() * 1000.0);
        s.quit();
    }
    println!(
        "send_to_result_ms={:.1} send_to_result_min_ms={:.1} runs={}",
        median(times.clone()),
        min(&times),
        a.runs
    );
    Ok(())
}

fn idle(a: &Args, timeout: Duration) -> Result<(), String> {
    let mut s = Session::spawn(&a.cmd);
    s.wait_until(&a.ready, &a.gone, timeout).ok_or_else(|| {
        format!(
            "ready marker {:?} not seen; screen:\n{}",
            a.ready,
            screen_dump(&s)
        )
    })?;
    s.settle(Duration::from_millis(500));
    let pid = s.pid();
    let (ticks_before, before) = (cpu_ms(pid), threads(pid));
    let end = Instant::now() + Duration::from_secs_f64(a.seconds);
    let mut bytes_seen = 0usize;
    while Instant::now() < end {
        if let Ok(b) = s.rx.recv_timeout(Duration::from_millis(50)) {
            bytes_seen += b.len();
            s.parser.process(&b);
        }
    }
    let (ticks_after, after) = (cpu_ms(pid), threads(pid));
    // Threads that ended during the window are only in the tick count.
    let mut ns = 0u64;
    let mut switches = 0u64;
    for (tid, (n, c)) in &after {
        let (n0, c0) = before.get(tid).copied().unwrap_or((0, 0));
        ns += n.saturating_sub(n0);
        switches += c.saturating_sub(c0);
    }
    let ended = before.keys().filter(|t| !after.contains_key(*t)).count();
    println!(
        "idle_cpu_ms={:.2} idle_cpu_ticks_ms={:.0} context_switches={switches} threads={} \
         threads_ended={ended} over_s={} output_bytes_while_idle={bytes_seen}",
        ns as f64 / 1e6,
        ticks_after - ticks_before,
        after.len(),
        a.seconds
    );
    s.quit();
    Ok(())
}

fn main() -> ExitCode {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("probe: {e}");
            return ExitCode::from(2);
        }
    };
    let timeout = Duration::from_secs(20);
    let result = match a.verb.as_str() {
        "startup" => startup(&a, timeout),
        "send" => send(&a, timeout),
        "idle" => idle(&a, timeout),
        other => Err(format!("unknown verb {other:?}; use startup, send or idle")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("probe: {e}");
            ExitCode::FAILURE
        }
    }
}
