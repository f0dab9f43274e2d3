//! A minimal LSP client over the real binary's stdio, for end-to-end tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The `genai-scope` binary under test.
pub fn binary() -> PathBuf {
    crate::support::binary()
}

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// How long `wait` waits (debug builds analyse a 10 MB document slowly).
    pub timeout: Duration,
    /// Notifications and server requests not consumed yet.
    pub backlog: Vec<Value>,
    /// While set, nothing is read from the server's output (a client that stopped reading).
    paused: Arc<(Mutex<bool>, Condvar)>,
}

fn write_message(stdin: &mut impl Write, message: &Value) -> std::io::Result<()> {
    let body = serde_json::to_string(message).expect("serialise");
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    stdin.flush()
}

impl Client {
    pub fn start(env: &[(&str, &str)]) -> Client {
        Self::start_with(Command::new(binary()), env)
    }

    /// The server with `dir` as its working directory.
    #[allow(dead_code)] // used by some test binaries only
    pub fn start_in(dir: &std::path::Path, env: &[(&str, &str)]) -> Client {
        let mut command = Command::new(binary());
        command.current_dir(dir);
        Self::start_with(command, env)
    }

    fn start_with(mut command: Command, env: &[(&str, &str)]) -> Client {
        command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start genai-scope lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, incoming) = channel();
        let paused = Arc::new((Mutex::new(false), Condvar::new()));
        let gate = paused.clone();
        // Notifications, responses and server requests all arrive on one channel; tests
        // answer server requests themselves with `reply`.
        std::thread::spawn(move || {
            // Small, so that a paused client leaves what is unread in the pipe.
            let mut reader = BufReader::with_capacity(1024, stdout);
            loop {
                {
                    let (lock, resumed) = &*gate;
                    let mut paused = lock.lock().unwrap();
                    while *paused {
                        paused = resumed.wait(paused).unwrap();
                    }
                }
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let message: Value = serde_json::from_slice(&body).expect("the server sends JSON");
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            timeout: TIMEOUT,
            backlog: Vec::new(),
            paused,
        }
    }

    /// Stops reading the server's output (at the latest after the message being read), as a
    /// client that hangs would; [`Client::resume_reading`] reads on.
    #[allow(dead_code)] // used by some test binaries only
    pub fn pause_reading(&self) {
        *self.paused.0.lock().unwrap() = true;
    }

    #[allow(dead_code)] // used by some test binaries only
    pub fn resume_reading(&self) {
        *self.paused.0.lock().unwrap() = false;
        self.paused.1.notify_all();
    }

    pub fn send(&mut self, message: &Value) {
        write_message(&mut self.stdin, message).expect("write to the server");
    }

    /// Writes bytes as they are, for malformed-input tests.
    pub fn send_raw(&mut self, raw: &str) {
        self.stdin
            .write_all(raw.as_bytes())
            .expect("write to the server");
        self.stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting for its response; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The response to the request `id` (`result` or `error`).
    pub fn response(&mut self, id: i64) -> Value {
        self.wait(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
    }

    /// The `result` of a request, failing the test on an error response.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// [`Client::call`] of one of the server's typed protocol extensions: the answer must
    /// deserialise into the request's result type, which keeps `protocol.rs` true to the wire.
    pub fn call_typed<R>(&mut self, params: R::Params) -> R::Result
    where
        R: tower_lsp_server::ls_types::request::Request,
    {
        let params = serde_json::to_value(params).expect("params serialise");
        let result = self.call(R::METHOD, params);
        serde_json::from_value(result.clone())
            .unwrap_or_else(|error| panic!("{}: {error} in {result}", R::METHOD))
    }

    /// Waits for a message matching `pred`, keeping the others in the backlog.
    pub fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(position) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(position);
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => {
                    if pred(&message) {
                        return message;
                    }
                    self.backlog.push(message);
                }
                Err(RecvTimeoutError::Timeout) => panic!("timed out; backlog: {:#?}", self.backlog),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output; backlog: {:#?}", self.backlog)
                }
            }
        }
    }

    /// The next `publishDiagnostics` for `uri` (optionally of a version).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let message = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == json!(v))
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self.call(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities, "workspaceFolders": null}),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "genai", "version": 1, "text": text}}),
        );
    }

    pub fn shutdown(mut self) -> std::process::ExitStatus {
        self.call("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_for_exit()
    }

    /// Sends `exit` without `shutdown` first, and waits for the server to end.
    pub fn exit_without_shutdown(mut self) -> std::process::ExitStatus {
        self.notify("exit", Value::Null);
        self.wait_for_exit()
    }

    /// Waits for the server to close its output (it does when it exits), then for the
    /// process: no polling.
    fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => self.backlog.push(message),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("the server did not exit"),
            }
        }
        self.child.wait().expect("wait for the server")
    }

    /// Answers a server request taken from the stream.
    pub fn reply(&mut self, request: &Value, result: Value) {
        self.send(&json!({"jsonrpc": "2.0", "id": request["id"], "result": result}));
    }

    #[allow(dead_code)] // used by some test binaries only
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory now and at its peak (`VmRSS`, `VmHWM`), in KiB.
    #[allow(dead_code)] // used by some test binaries only
    pub fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("read /proc/<pid>/status");
        let field = |name: &str| -> u64 {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or_else(|| panic!("{name} in /proc/<pid>/status"))
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Line starts under LSP's rules: `\n`, `\r\n` and `\r` end a line.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
                continue;
            }
            b'\r' | b'\n' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// UTF-16 position of a byte offset (what an editor would send).
pub fn position(text: &str, offset: usize) -> Value {
    let starts = line_starts(text);
    let line = starts.partition_point(|start| *start <= offset) - 1;
    let character: usize = text[starts[line]..offset]
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({"line": line, "character": character})
}

/// Byte offset of a UTF-16 position.
pub fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let starts = line_starts(text);
    let Some(start) = starts.get(line).copied() else {
        return text.len();
    };
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' || c == '\r' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Applies LSP text edits (UTF-16 positions) like an editor.
pub fn apply(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, usize, String)> = edits
        .iter()
        .enumerate()
        .map(|(index, e)| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                index,
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // From the end, and for inserts at one place the last first, so they end up in order.
    edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1, e.2)));
    let mut out = text.to_string();
    for (start, end, _, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}
