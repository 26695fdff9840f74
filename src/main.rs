//! The `ghirbal` command: argument parsing and dispatch; the work is in the
//! library and in `cli/`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
