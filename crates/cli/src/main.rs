//! `huella` — the backend and the batch tool for employers and auditors.
//!
//! ```text
//! cargo run -p cli --bin huella -- inspect --cer fiel.cer --key fiel.key --password-file pw.txt
//! ```
//!
//! Output is JSON on stdout. Failures exit non-zero with `{"code","message"}` on stderr
//! (exit 2 for usage errors, 1 for everything else). Passwords come from `--password-file`,
//! `HUELLA_PASSWORD` or a no-echo prompt, never from an argument.
#![forbid(unsafe_code)]

mod args;
mod bench_cmd;
mod efirma_cmd;
mod error;
mod imageio;
mod import_cmd;
mod packet_cmd;
mod password;
mod quality_cmd;
mod scanner_cmd;
mod serve_cmd;
mod wsq_cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            e.print();
            ExitCode::from(1)
        }
    }
}

fn run(cli: args::Cli) -> Result<(), error::CliError> {
    use args::Command;
    match cli.command {
        Command::Serve(a) => serve_cmd::serve(a),
        Command::Packet(c) => packet_cmd::run(c),
        Command::Bench(a) => bench_cmd::bench(a),
        Command::Inspect(a) => efirma_cmd::inspect(a),
        Command::Sign(a) => efirma_cmd::sign(a),
        Command::Verify(a) => efirma_cmd::verify(a),
        Command::Quality(c) => quality_cmd::run(c),
        Command::Wsq(c) => wsq_cmd::run(c),
        Command::Scanner(args::ScannerCommand::Emulate(a)) => scanner_cmd::emulate(a),
    }
}
