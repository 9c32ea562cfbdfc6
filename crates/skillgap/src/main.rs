//! The `skillgap` command. Run `cargo run --release -- --help`, or start with
//! `cargo run --release -- load --onet-dir ../shared/onet/db_29_0_text`.

use std::process::ExitCode;

use clap::Parser;

// mimalloc returns freed memory to the system promptly and handles the server's many small,
// short-lived allocations faster than glibc's allocator (see bench/api.sh figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = skillgap::Cli::parse();
    let _log = skillgap::init_logging(&cli.command, cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(skillgap::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", skillgap::error_chain(&e));
            ExitCode::FAILURE
        }
    }
}
