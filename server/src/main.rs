use clap::Parser;

fn main() -> std::process::ExitCode {
    genai_scope::cli::run(genai_scope::cli::Cli::parse())
}
