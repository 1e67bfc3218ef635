//! Text that reaches a terminal.
//!
//! Everything lam did not write itself (values read back from AWS, log
//! lines, a handler's output, names in a request, an AWS error's message)
//! passes through [`escape`] before it is shown: a control character (C0,
//! DEL, C1 such as U+009B, the one-character CSI) could move the cursor,
//! retitle the window, hide lines or write to the clipboard; a bidi
//! override or isolate (U+202A-U+202E, U+2066-U+2069) makes text read in
//! another order than it runs. They are shown as `\x1b`, `\u{202e}`.

use std::borrow::Cow;
use std::io::Write;

/// Whether `c` is shown escaped: control characters other than newline
/// and tab, and the invisible characters that reorder or hide text.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every character a terminal would act on shown escaped.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of a command's human-readable result on stdout, escaped.
pub fn print(line: impl AsRef<str>) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", escape(line.as_ref()));
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_cannot_reach_the_terminal() {
        assert_eq!(escape("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            escape("\u{1b}]0;owned\u{7}\u{1b}[2Jgone"),
            "\\x1b]0;owned\\x07\\x1b[2Jgone"
        );
        assert_eq!(escape("a\rb\u{9b}c"), "a\\x0db\\x9bc");
        // "invoice_\u{202e}fdp.exe" reads as "invoice_exe.pdf".
        assert_eq!(
            escape("invoice_\u{202e}fdp.exe"),
            "invoice_\\u{202e}fdp.exe"
        );
        assert_eq!(escape("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(escape("Zoë, 東京, emoji 🎉"), "Zoë, 東京, emoji 🎉");
    }
}
