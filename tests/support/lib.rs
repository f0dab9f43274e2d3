//! Helpers for the end-to-end tests, included as a module by each test target (`tests/cli`,
//! `tests/lsp`) and the latency harness.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// The real `genai-scope` binary: `$GENAI_SCOPE_BIN` (a release build, for benchmarks), else
/// the one Cargo built for these tests.
pub fn binary() -> PathBuf {
    std::env::var_os("GENAI_SCOPE_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_genai-scope")),
        PathBuf::from,
    )
}

/// A directory under the system's temporary folder, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("genai-scope-e2e-")
        .tempdir()
        .expect("create a temporary directory")
}

/// Writes `contents` to `dir/relative`, creating the parent directories; returns the path.
pub fn write_file(dir: &Path, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create the parent directories");
    }
    std::fs::write(&path, contents).expect("write a test file");
    path
}

/// How long a run of the binary may take before the test fails (a hang is a failure, not a
/// stuck test run). Debug builds on two shared cores are slow: this is generous.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// One run of the real binary, to be configured and then [`Invocation::run`].
pub struct Invocation {
    command: Command,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
}

/// `genai-scope ARGS…`, run in the workspace root unless [`Invocation::current_dir`] says
/// otherwise, with no colour-forcing variables from the environment.
pub fn genai_scope<I, S>(args: I) -> Invocation
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Invocation {
        command: command(args),
        stdin: None,
        timeout: DEFAULT_TIMEOUT,
    }
}

/// The command [`genai_scope`] runs, for `insta_cmd::assert_cmd_snapshot!`.
pub fn command<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new(binary());
    command
        .args(args)
        .current_dir(workspace())
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env("NO_COLOR", "1");
    command
}

impl Invocation {
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Runs to completion; panics (killing the process) when it outlives the timeout.
    pub fn run(mut self) -> Outcome {
        let described = format!("{:?}", self.command);
        self.command
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = self
            .command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {described}: {e}"));
        if let Some(bytes) = self.stdin.take() {
            let mut stdin = child.stdin.take().expect("piped stdin");
            std::thread::spawn(move || {
                let _ = stdin.write_all(&bytes);
            });
        }
        let stdout = drain(child.stdout.take().expect("piped stdout"));
        let stderr = drain(child.stderr.take().expect("piped stderr"));
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for genai-scope") {
                break status;
            }
            if started.elapsed() > self.timeout {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = stderr.join().unwrap_or_default();
                panic!(
                    "{described} did not finish within {:?}; stderr:\n{}",
                    self.timeout,
                    String::from_utf8_lossy(&stderr)
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let elapsed = started.elapsed();
        let stdout = stdout.join().expect("read stdout");
        let stderr = stderr.join().expect("read stderr");
        Outcome {
            command: described,
            code: status.code(),
            stdout: String::from_utf8(stdout).expect("genai-scope writes UTF-8 to stdout"),
            stderr: String::from_utf8(stderr).expect("genai-scope writes UTF-8 to stderr"),
            elapsed,
        }
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// What a finished run left behind.
#[derive(Debug)]
pub struct Outcome {
    /// The command line, for failure messages.
    pub command: String,
    /// The exit code; `None` when a signal ended the process (a crash).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Outcome {
    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "{} exited with {:?}, expected {code}\n--- stderr:\n{}\n--- stdout (first 4000 bytes):\n{}",
            self.command,
            self.code,
            self.stderr,
            self.stdout.get(..4000).unwrap_or(&self.stdout),
        );
        self
    }

    /// Asserts that the process ended by itself and did not panic (exit code 101, "panicked"
    /// on stderr) or die from a signal.
    #[track_caller]
    pub fn expect_no_crash(&self) -> &Self {
        assert!(
            self.code.is_some() && self.code != Some(101) && !self.stderr.contains("panicked"),
            "{} crashed (exit {:?})\n--- stderr:\n{}",
            self.command,
            self.code,
            self.stderr
        );
        self
    }

    /// Stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "{} printed no valid JSON ({e}):\n{}",
                self.command,
                self.stdout.get(..4000).unwrap_or(&self.stdout)
            )
        })
    }
}

/// A `genai-scope.toml` with a custom control (and a severity for it), for the CLI and LSP
/// tests of project policy. Its emoji puts UTF-16 and UTF-8 columns apart.
pub const CUSTOM_CONTROLS_TOML: &str = include_str!("../fixtures/custom-controls.toml");

/// A scope-3 workload that retrieves data: `controls.prompt_logging` applies to it.
pub const RAG_WORKLOAD: &str = include_str!("../fixtures/rag-workload.genai");
