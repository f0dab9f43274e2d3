//! `genai-scope export --format cyclonedx`: the AI inventory of files and directories as one
//! CycloneDX 1.6 BOM (the mapping is `genai_scope_ide::inventory`).

use std::path::PathBuf;
use std::process::ExitCode;

use super::check::{check_all, display, files_with_options};
use super::{EXIT_CLEAN, EXIT_USAGE_OR_INPUT};
use genai_scope_environment::today;
use genai_scope_ide::inventory::{BomOptions, cyclonedx};
use genai_scope_ide::report::FileInput;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Files or directories; directories are searched for *.genai files. Default: `.`
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ExportFormat::Cyclonedx)]
    pub format: ExportFormat,
    /// Write the BOM to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Add a random `serialNumber` (urn:uuid); without it the same input gives the same BOM.
    #[arg(long)]
    pub serial_number: bool,
    /// The date `overdue-control` compares `due` dates with (default: today, UTC); the
    /// findings appear in the model cards.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub today: Option<time::Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
}

/// Exit codes: 0 when the BOM was written, 2 when input or the configuration could not be
/// read or the output not written.
pub fn run(args: &ExportArgs) -> ExitCode {
    let (files, mut errors) =
        match files_with_options(&args.paths, args.today.unwrap_or_else(today)) {
            Ok(found) => found,
            Err(code) => return code,
        };
    let fallback = match super::project_settings() {
        Ok(settings) => settings.catalog,
        Err(code) => return code,
    };
    let checked = check_all(&files, super::check::DEFAULT_MAX_FILE_SIZE, &mut errors);
    let inputs: Vec<FileInput<'_>> = checked
        .iter()
        .map(|file| FileInput {
            path: &file.path,
            text: &file.text,
            analysis: &file.analysis,
        })
        .collect();
    let options = BomOptions {
        serial_number: args.serial_number.then(random_uuid_urn),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let bom = match args.format {
        ExportFormat::Cyclonedx => cyclonedx(&inputs, &fallback, &options),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, bom) {
                eprintln!("genai-scope: {}: cannot write the BOM: {e}", display(path));
                return ExitCode::from(EXIT_USAGE_OR_INPUT);
            }
        }
        None => super::print_stdout(&bom),
    }
    if errors.is_empty() {
        ExitCode::from(EXIT_CLEAN)
    } else {
        ExitCode::from(EXIT_USAGE_OR_INPUT)
    }
}

/// A version 4 UUID as `urn:uuid:…`. The bits come from the standard library's randomly keyed
/// hasher and the clock: unique enough to tell BOMs apart, not meant for secrets.
fn random_uuid_urn() -> String {
    use std::hash::{BuildHasher, Hasher};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let half = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(nanos);
        hasher.write_u64(salt);
        hasher.write_u32(std::process::id());
        hasher.finish()
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&half(1).to_le_bytes());
    bytes[8..].copy_from_slice(&half(2).to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn serial_numbers_are_version_4_uuids_and_differ() {
        let a = super::random_uuid_urn();
        let b = super::random_uuid_urn();
        assert_ne!(a, b);
        let uuid = a.strip_prefix("urn:uuid:").unwrap();
        let groups: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'));
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert!(uuid.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
