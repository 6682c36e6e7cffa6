//! The CLI's one error shape: `{"code","message"}` on stderr.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CliError {
    pub code: String,
    pub message: String,
}

impl CliError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CliError {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    pub fn io(path: &std::path::Path, e: std::io::Error) -> Self {
        CliError::new("io", format!("{}: {e}", path.display()))
    }

    pub fn print(&self) {
        let json = serde_json::to_string(self)
            .unwrap_or_else(|_| format!("{{\"code\":\"{}\"}}", self.code));
        eprintln!("{json}");
    }
}

impl From<efirma::Error> for CliError {
    fn from(e: efirma::Error) -> Self {
        CliError::new(e.code(), e.message_es())
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), CliError> {
    let s = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::new("internal", e.to_string()))?;
    println!("{s}");
    Ok(())
}

/// Reads a whole file, mapping errors to `io`.
pub fn read(path: &std::path::Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::io(path, e))
}
