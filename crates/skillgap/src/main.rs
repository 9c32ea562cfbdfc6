//! The `skillgap` command. Run `cargo run --release -- --help`, or start with
//! `cargo run --release -- load --onet-dir ../shared/onet/db_29_0_text`.

use std::process::ExitCode;

use clap::Parser;

// mimalloc returns freed memory to the system promptly and handles the server's many small,
// short-lived allocations faster than glibc's allocator (see bench/api.sh figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `arena_eager_commit` (position 4 of `mi_option_e` in mimalloc.h).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
/// mimalloc's `purge_delay` (position 15 of `mi_option_e` in mimalloc.h).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps resident memory near what is live. By default mimalloc commits its first arena (1 GiB
/// reserved) whole, and in committed memory a purge only marks freed pages reusable, which Linux
/// still counts as resident; the catalog build's transient peak at start then stayed resident:
/// `serve` held 160 MB with 94 MB live. Committing arena memory on demand and purging freed pages
/// at once keeps it at what is live, with no change in requests per second under wrk
/// (bench/instant.sh). It must run before the first allocation reserves that arena, so on Linux
/// it runs from the executable's initialisers, before Rust's runtime starts; elsewhere from `main`.
#[allow(unsafe_code)]
extern "C" fn tune_allocator() {
    // SAFETY: `mi_option_set` takes two plain integers and is safe to call at any time, before
    // any allocation included; these options only change when memory is committed and returned.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
#[used]
#[unsafe(link_section = ".init_array")]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    tune_allocator();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The positions above name the options meant: mimalloc reports them as set (0) where its
    /// documented defaults are 2 and 10 ms, and the options next to them keep their defaults.
    #[test]
    #[allow(unsafe_code)]
    fn the_allocator_options_are_the_ones_meant() {
        tune_allocator();
        // SAFETY: reading an option takes a plain integer.
        let get = |o| unsafe { libmimalloc_sys::mi_option_get(o) };
        assert_eq!((get(ARENA_EAGER_COMMIT), get(PURGE_DELAY)), (0, 0));
        // purge_decommits (=1) and use_numa_nodes (=0) beside them, untouched.
        assert_eq!((get(ARENA_EAGER_COMMIT + 1), get(PURGE_DELAY + 1)), (1, 0));
    }
}
