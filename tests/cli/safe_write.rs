//! `fmt` and `check --fix` write files safely: through symbolic links, keeping hard links and
//! mode, refusing (exit 2, naming the file) what the user may not write, and within the same
//! size limit as `check`.

#![cfg(unix)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use crate::support::{genai_scope, temp_dir, write_file};
use insta_cmd::assert_cmd_snapshot;

use super::cli;

const UNFORMATTED: &str = "workload \"w\" {\nowner = \"o\"\n}\n";
const FORMATTED: &str = "workload \"w\" {\n  owner = \"o\"\n}\n";
/// Unformatted and with a fixable finding (a quoted number).
const FIXABLE: &str = "workload \"w\" {\nowner = \"o\"\n  scope = \"3\"\n}\n";

#[test]
fn fmt_writes_through_a_symbolic_link_to_its_target() {
    let dir = temp_dir();
    let target = write_file(dir.path(), "real/a.genai", UNFORMATTED);
    let link = dir.path().join("link.genai");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    genai_scope(["fmt", "link.genai"])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), FORMATTED);
}

#[test]
fn fmt_and_fix_keep_hard_links_and_the_mode() {
    for command in [&["fmt"][..], &["check", "--fix", "--fail-on", "never"][..]] {
        let dir = temp_dir();
        let first = write_file(dir.path(), "a.genai", FIXABLE);
        let second = dir.path().join("b.genai");
        std::fs::hard_link(&first, &second).unwrap();
        std::fs::set_permissions(&first, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut args = command.to_vec();
        args.push("a.genai");
        genai_scope(args)
            .current_dir(dir.path())
            .run()
            .expect_no_crash();
        let text = std::fs::read_to_string(&first).unwrap();
        assert_ne!(text, FIXABLE, "{command:?} changed nothing");
        assert_eq!(
            std::fs::read_to_string(&second).unwrap(),
            text,
            "{command:?}"
        );
        let (a, b) = (
            std::fs::metadata(&first).unwrap(),
            std::fs::metadata(&second).unwrap(),
        );
        assert_eq!(a.ino(), b.ino(), "{command:?} split the hard link");
        assert_eq!(a.mode() & 0o777, 0o600, "{command:?}");
    }
}

/// A read-only file in a directory everyone may write: replacing it through the directory
/// would be possible, and is refused. As root (who may write anything) the binary runs as
/// `nobody` through `setpriv`.
#[test]
fn a_file_the_user_may_not_write_is_refused_with_exit_2() {
    let dir = temp_dir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let path = write_file(dir.path(), "ro.genai", FIXABLE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let as_root = std::fs::OpenOptions::new().write(true).open(&path).is_ok();
    for command in [&["fmt"][..], &["check", "--fix"][..]] {
        let mut process = if as_root {
            let mut process = std::process::Command::new("setpriv");
            process.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"]);
            process.arg(crate::support::binary());
            process
        } else {
            std::process::Command::new(crate::support::binary())
        };
        let Ok(output) = process
            .args(command)
            .arg("ro.genai")
            .current_dir(dir.path())
            .output()
        else {
            eprintln!("skipped: no setpriv to run as another user");
            return;
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(
            stderr.contains("ro.genai") && stderr.contains("not writable"),
            "{command:?}: {stderr}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), FIXABLE);
        let metadata = std::fs::metadata(&path).unwrap();
        assert_eq!(metadata.mode() & 0o777, 0o444);
    }
}

#[test]
fn fmt_has_the_size_limit_of_check() {
    let dir = temp_dir();
    let big = format!("{UNFORMATTED}#{}\n", "x".repeat(17 * 1024 * 1024));
    let path = write_file(dir.path(), "big.genai", &big);
    assert_cmd_snapshot!(cli(dir.path(), ["fmt", "big.genai"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    genai-scope: big.genai: 17825823 bytes is more than the limit of 16777216; not analysed (raise it with --max-file-size)
    ");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), big);
    assert_cmd_snapshot!(
        cli(dir.path(), ["fmt", "--max-file-size", "100000000", "big.genai"]),
        @r"
        success: true
        exit_code: 0
        ----- stdout -----
        formatted big.genai

        ----- stderr -----
        "
    );
}

/// A file of another owner that we may write (here: as root) keeps its owner and group.
#[test]
fn fmt_and_fix_keep_the_owner() {
    for command in [&["fmt"][..], &["check", "--fix", "--fail-on", "never"][..]] {
        let dir = temp_dir();
        let path = write_file(dir.path(), "a.genai", FIXABLE);
        let other = 65534;
        if std::os::unix::fs::chown(&path, Some(other), Some(other)).is_err() {
            eprintln!("skipped: cannot give a file to another user");
            return;
        }
        let mut args = command.to_vec();
        args.push("a.genai");
        genai_scope(args)
            .current_dir(dir.path())
            .run()
            .expect_no_crash();
        let metadata = std::fs::metadata(&path).unwrap();
        assert_ne!(std::fs::read_to_string(&path).unwrap(), FIXABLE);
        assert_eq!(
            (metadata.uid(), metadata.gid()),
            (other, other),
            "{command:?}"
        );
    }
}
