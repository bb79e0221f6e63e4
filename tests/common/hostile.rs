//! A loopback Juspay stand-in that answers whatever a test sets, and the hostile text the
//! issue 11 suites put in its answers. Shared by `hostile_input` (the CLI) and
//! `tui_hostile_answers` (the desk); include it with `#[path = "common/hostile.rs"]`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use proptest::prelude::*;

/// What the server answers: `(HTTP status, body)` for `POST /session` and for everything
/// else (Order Status).
#[derive(Clone)]
pub struct Answers {
    pub session: (u16, Vec<u8>),
    pub status: (u16, Vec<u8>),
}

/// A loopback HTTP/1.1 server on 127.0.0.1 that answers each request from `Answers` and
/// closes the connection. The listening thread lives as long as the test process.
pub struct Hostile {
    pub url: String,
    answers: Arc<Mutex<Answers>>,
}

impl Hostile {
    pub fn start(answers: Answers) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let answers = Arc::new(Mutex::new(answers));
        let shared = answers.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let answers = shared.lock().map(|a| a.clone());
                if let Ok(answers) = answers {
                    let _ = serve_one(stream, &answers);
                }
            }
        });
        Hostile { url, answers }
    }

    pub fn set(&self, answers: Answers) {
        *self.answers.lock().expect("lock") = answers;
    }
}

fn serve_one(stream: TcpStream, answers: &Answers) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let (status, body) = if request_line.starts_with("POST") {
        &answers.session
    } else {
        &answers.status
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

/// Text with the characters a hostile server would use: escapes, C1, bidi, zero-width.
pub fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\u{1b}]0;X\u{7}".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\u{9b}31m".to_string()),
        Just("\u{202E}".to_string()),
        Just("\u{2066}".to_string()),
        Just("\u{200B}".to_string()),
        Just("\r".to_string()),
        Just("\u{7f}".to_string()),
        "[a-z0-9 ]{0,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}
