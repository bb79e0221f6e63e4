//! The floor for start-up figures: the smallest ratatui app that draws one frame and waits
//! for Ctrl-Q. `benches/startup.sh` measures it beside paydesk, so every whole-program
//! figure is also reported as a ratio to what a terminal app cannot beat on this machine.

use ratatui::crossterm::event::{self, Event, KeyCode, KeyModifiers};
use ratatui::widgets::{Block, Paragraph};

fn main() -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    let result = (|| -> std::io::Result<()> {
        terminal.draw(|frame| {
            let block = Block::bordered().title("floor");
            frame.render_widget(Paragraph::new("FLOOR READY").block(block), frame.area());
        })?;
        loop {
            if let Event::Key(key) = event::read()?
                && key.code == KeyCode::Char('q')
                && key.modifiers.contains(KeyModifiers::CONTROL)
            {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    result
}
