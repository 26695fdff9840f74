//! The `ghirbal` command: the library's command line ([`ghirbal::cli`]),
//! built with the default `cli` feature.

use std::process::ExitCode;

fn main() -> ExitCode {
    ghirbal::cli::main()
}
