//! `prov`: the command-line client of provenance-chain. See `prov --help` and the README.

mod commands;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
	let cli = commands::Cli::parse();
	let json = cli.json;
	match commands::run(cli) {
		Ok(()) => ExitCode::SUCCESS,
		Err(failure) => {
			if json {
				let error =
					serde_json::json!({ "error": failure.kind(), "message": failure.message() });
				println!("{error}");
			} else {
				eprintln!("prov: {failure}");
			}
			ExitCode::from(failure.exit_code())
		},
	}
}
