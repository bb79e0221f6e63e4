//! The floor for start-up figures: the smallest ratatui app that draws one frame, redraws
//! with "FLOOR SENT" on Ctrl-S (the floor for key → frame) and quits on Ctrl-Q.
//! `benches/startup.sh` measures it beside paydesk, so every whole-program figure is also
//! reported as a ratio to what a terminal app cannot beat on this machine.

use ratatui::crossterm::event::{self, Event, KeyCode, KeyModifiers};
use ratatui::widgets::{Block, Paragraph};

fn main() -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    let result = (|| -> std::io::Result<()> {
        let mut text = "FLOOR READY";
        loop {
            terminal.draw(|frame| {
                let block = Block::bordered().title("floor");
                frame.render_widget(Paragraph::new(text).block(block), frame.area());
            })?;
            if let Event::Key(key) = event::read()?
                && key.modifiers.contains(KeyModifiers::CONTROL)
            {
                match key.code {
                    KeyCode::Char('q') => return Ok(()),
                    KeyCode::Char('s') => text = "FLOOR READY · FLOOR SENT",
                    _ => {}
                }
            }
        }
    })();
    ratatui::restore();
    result
}
