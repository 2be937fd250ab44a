//! `h1probe HOST:PORT [options]`: see `h1probe --help`.
#![forbid(unsafe_code)]

fn main() {
    std::process::exit(h1probe::cli::main(std::env::args().skip(1).collect()));
}
