//! A guard in front of tower-lsp-server's transport: its framed reader ends the whole session
//! at the first message that is not valid JSON-RPC. Here every frame is checked first; a bad
//! one is answered with a JSON-RPC error and the session goes on.

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// The largest message accepted (a 50 MB document fits).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// One frame read from the client.
enum Frame {
    Message(Vec<u8>),
    /// Unusable: answer with this error and go on.
    Invalid(Value),
    End,
}

/// The longest header line kept: a line may be longer (the rest of a bad frame's body runs
/// into the next header), but only its end can hold a header, so only the end is kept.
const MAX_HEADER_LINE: usize = 4096;

const CONTENT_LENGTH: &[u8] = b"content-length:";

/// Reads frames from one stream. After a bad frame (a `Content-Length` that is missing, not a
/// number, negative or too large, or a body that is not what its header says) the reader skips
/// to the next `Content-Length` header, so one bad frame is answered once and every later
/// message is read as sent.
struct FrameReader<R> {
    reader: BufReader<R>,
    /// What the server itself writes is passed through untouched; client input is checked.
    validate: bool,
    resynchronising: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    fn new(reader: R, validate: bool) -> Self {
        FrameReader {
            reader: BufReader::new(reader),
            validate,
            resynchronising: false,
        }
    }

    async fn next(&mut self) -> Frame {
        let frame = self.read().await;
        if matches!(frame, Frame::Invalid(_)) {
            self.resynchronising = true;
        }
        frame
    }

    /// One line without its end, keeping at most its last `MAX_HEADER_LINE` bytes; `None` at
    /// the end of input.
    async fn line(&mut self) -> Option<Vec<u8>> {
        let mut line = Vec::new();
        let mut read_any = false;
        loop {
            let buffer = self.reader.fill_buf().await.ok()?;
            if buffer.is_empty() {
                return read_any.then_some(line);
            }
            read_any = true;
            let (chunk, done) = match buffer.iter().position(|b| *b == b'\n') {
                Some(at) => (&buffer[..at], Some(at + 1)),
                None => (buffer, None),
            };
            line.extend_from_slice(chunk);
            if line.len() > MAX_HEADER_LINE {
                line.drain(..line.len() - MAX_HEADER_LINE);
            }
            let used = done.unwrap_or(buffer.len());
            self.reader.consume(used);
            if done.is_some() {
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Some(line);
            }
        }
    }

    async fn read(&mut self) -> Frame {
        let mut length: Option<Option<usize>> = None;
        let mut saw_header = false;
        loop {
            let Some(mut line) = self.line().await else {
                return Frame::End;
            };
            // A header may follow the rest of a bad frame's body on the same line.
            let header_at = line
                .to_ascii_lowercase()
                .windows(CONTENT_LENGTH.len())
                .rposition(|w| w == CONTENT_LENGTH);
            match header_at {
                Some(at) => {
                    line.drain(..at);
                    self.resynchronising = false;
                }
                // Skip the rest of a bad frame up to the next header.
                None if self.resynchronising => continue,
                None => {}
            }
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some(value) = line
                .to_ascii_lowercase()
                .strip_prefix(CONTENT_LENGTH)
                .map(|v| String::from_utf8_lossy(v).trim().to_string())
            {
                length = Some(value.parse::<usize>().ok());
            }
        }
        let Some(length) = length.flatten().filter(|l| *l <= MAX_MESSAGE) else {
            return Frame::Invalid(error(-32700, "missing or invalid Content-Length header"));
        };
        let mut body = vec![0; length];
        if self.reader.read_exact(&mut body).await.is_err() {
            return Frame::End;
        }
        if !self.validate {
            return Frame::Message(body);
        }
        match serde_json::from_slice::<Envelope>(&body) {
            Err(_) => Frame::Invalid(error(-32700, "the message is not valid JSON")),
            Ok(envelope) if envelope.is_json_rpc() => Frame::Message(body),
            Ok(envelope) => Frame::Invalid(json!({
                "jsonrpc": "2.0",
                "id": envelope.id.filter(|id| id.is_number() || id.is_string()).unwrap_or(Value::Null),
                "error": {"code": -32600, "message": "not a JSON-RPC 2.0 request, notification or response"},
            })),
        }
    }
}

/// The outline of a JSON-RPC message; parameters and results are checked for JSON syntax
/// but not copied.
#[derive(serde::Deserialize)]
struct Envelope<'a> {
    jsonrpc: Option<&'a str>,
    id: Option<Value>,
    method: Option<Value>,
    #[serde(borrow)]
    params: Option<&'a serde_json::value::RawValue>,
    /// Present at all, `null` included (a response to a request without a result).
    #[serde(default, deserialize_with = "present")]
    result: bool,
    #[serde(default, deserialize_with = "present")]
    error: bool,
}

fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(deserializer).map(|_| true)
}

impl Envelope<'_> {
    fn is_json_rpc(&self) -> bool {
        let id_ok = self
            .id
            .as_ref()
            .is_none_or(|id| id.is_number() || id.is_string() || id.is_null());
        let params_ok = self.params.is_none_or(|p| {
            matches!(
                p.get().trim_start().as_bytes().first(),
                Some(b'{' | b'[' | b'n')
            )
        });
        self.jsonrpc == Some("2.0")
            && id_ok
            && params_ok
            && (self.method.as_ref().is_some_and(Value::is_string) || self.result || self.error)
    }
}

fn error(code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}})
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Sends notifications straight to the client, serialised once (tower-lsp-server's client
/// goes through an intermediate `serde_json::Value`, which dominates the cost of publishing
/// thousands of diagnostics).
#[derive(Clone)]
pub struct Outbox(mpsc::UnboundedSender<Vec<u8>>);

impl Outbox {
    pub fn notify<P: serde::Serialize>(&self, method: &str, params: &P) {
        #[derive(serde::Serialize)]
        struct Notification<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: &'a P,
        }
        let message = Notification {
            jsonrpc: "2.0",
            method,
            params,
        };
        if let Ok(body) = serde_json::to_vec(&message) {
            let _ = self.0.send(frame(&body));
        }
    }
}

/// Runs `serve` (tower-lsp-server over the given pipe ends) behind the guard.
pub async fn guarded<I, O, F, Fut>(input: I, mut output: O, serve: F)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin,
    F: FnOnce(tokio::io::DuplexStream, tokio::io::DuplexStream, Outbox) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (mut to_server, server_input) = tokio::io::duplex(1 << 20);
    let (server_output, from_server) = tokio::io::duplex(1 << 20);
    let (frames, mut outgoing) = mpsc::unbounded_channel::<Vec<u8>>();

    let errors = frames.clone();
    let outbox = Outbox(frames.clone());
    let reader = tokio::spawn(async move {
        let mut input = FrameReader::new(input, true);
        loop {
            match input.next().await {
                Frame::Message(body) => {
                    if to_server.write_all(&frame(&body)).await.is_err() {
                        return;
                    }
                }
                Frame::Invalid(response) => {
                    let _ = errors.send(frame(response.to_string().as_bytes()));
                }
                Frame::End => return, // dropping `to_server` ends the session
            }
        }
    });
    let relay = async move {
        let mut from_server = FrameReader::new(from_server, false);
        while let Frame::Message(body) = from_server.next().await {
            if frames.send(frame(&body)).is_err() {
                return;
            }
        }
    };
    let writer = async move {
        while let Some(bytes) = outgoing.recv().await {
            if output.write_all(&bytes).await.is_err() || output.flush().await.is_err() {
                return;
            }
        }
    };
    let session = async move {
        serve(server_input, server_output, outbox).await;
    };
    // The session ends on `exit` or at the end of input; then stop relaying.
    tokio::select! {
        _ = async { tokio::join!(session, relay) } => {}
        _ = writer => {}
    }
    reader.abort();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(body: &str) -> bool {
        serde_json::from_str::<Envelope>(body).is_ok_and(|e| e.is_json_rpc())
    }

    #[test]
    fn responses_with_a_null_result_are_json_rpc() {
        assert!(accepted(r#"{"jsonrpc":"2.0","id":5,"result":null}"#));
        assert!(accepted(r#"{"jsonrpc":"2.0","id":5,"result":[{"a":1}]}"#));
        assert!(accepted(
            r#"{"jsonrpc":"2.0","id":5,"error":{"code":1,"message":"x"}}"#
        ));
        assert!(accepted(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        assert!(accepted(
            r#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#
        ));
    }

    #[test]
    fn other_json_is_not() {
        assert!(!accepted("[1, 2, 3]"));
        assert!(!accepted(r#"{"jsonrpc":"1.0","method":"x"}"#));
        assert!(!accepted(r#"{"jsonrpc":"2.0","id":1}"#));
        assert!(!accepted(r#"{"jsonrpc":"2.0","method":"x","params":3}"#));
    }
}
