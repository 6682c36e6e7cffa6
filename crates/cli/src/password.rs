//! Getting the key's password without it ever being a command-line argument.

use crate::args::PasswordArgs;
use crate::error::CliError;
use zeroize::Zeroizing;

/// `--password-file`, else `HUELLA_PASSWORD`, else a no-echo prompt on the terminal.
pub fn obtain(args: &PasswordArgs) -> Result<Zeroizing<String>, CliError> {
    if let Some(path) = &args.password_file {
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| CliError::io(path, e))?);
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| CliError::new("bad_password", "El archivo de contraseña no es UTF-8."))?;
        // Only the line ending is stripped: spaces can be part of a password.
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        return Ok(Zeroizing::new(text.to_owned()));
    }
    if let Ok(pw) = std::env::var("HUELLA_PASSWORD") {
        return Ok(Zeroizing::new(pw));
    }
    rpassword::prompt_password("Contraseña de la clave privada: ")
        .map(Zeroizing::new)
        .map_err(|e| {
            CliError::new(
                "bad_password",
                format!("No se pudo leer la contraseña: {e}"),
            )
        })
}
