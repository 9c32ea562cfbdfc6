//! Progress bars on stderr for long steps; hidden when stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use skillgap_core::Progress;

/// Draws one bar per step with indicatif.
pub struct BarProgress {
    bar: Mutex<Option<ProgressBar>>,
    visible: bool,
}

impl BarProgress {
    /// Bars on stderr, drawn only if stderr is a terminal.
    pub fn stderr() -> Self {
        Self {
            bar: Mutex::new(None),
            visible: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for BarProgress {
    fn begin(&self, step: &str, total: u64) {
        let bar = if !self.visible {
            ProgressBar::hidden()
        } else if total == 0 {
            let b = ProgressBar::new_spinner();
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        } else {
            ProgressBar::new(total)
        };
        let style = if total == 0 {
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
        } else {
            ProgressStyle::with_template("{msg:>30} [{bar:30}] {percent:>3}% {elapsed} (eta {eta})")
        };
        if let Ok(style) = style {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(step.to_owned());
        if let Some(old) = self.bar.lock().expect("progress lock").replace(bar) {
            old.finish_and_clear();
        }
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = &*self.bar.lock().expect("progress lock") {
            bar.inc(n);
        }
    }

    fn end(&self) {
        if let Some(bar) = self.bar.lock().expect("progress lock").take() {
            bar.finish_and_clear();
        }
    }
}
