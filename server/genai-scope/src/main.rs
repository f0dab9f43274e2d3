use clap::Parser;

fn main() -> std::process::ExitCode {
    genai_scope::run(genai_scope::Cli::parse())
}
