//! The server's transport, in place of tower-lsp-server's `Server`: its framed reader ends the
//! whole session at the first message that is not valid JSON-RPC, parses each message again
//! after any guard in front of it, and queues output without bound. Here each frame is read
//! and parsed once, straight into the request or response the service takes; a bad one is
//! answered with a JSON-RPC error and the session goes on; output goes through the
//! [`Outbox`], which coalesces diagnostics and bounds everything else.
//!
//! Requests run as tower-lsp-server's own server runs them: in the order read, up to four at
//! a time, on one task.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};
use tower_lsp_server::ClientSocket;
use tower_lsp_server::jsonrpc::{self, Id, Request, Response};
use tower_service::Service;

use crate::outbox::{Outbox, frame};

/// The size of the writes to the client (a pipe holds 64 KiB).
const OUTPUT_BUFFER: usize = 64 * 1024;

/// The largest message accepted (a 50 MB document fits).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// One frame read from the client.
enum Frame {
    Request(Request),
    Response(Response),
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
    resynchronising: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    fn new(reader: R) -> Self {
        FrameReader {
            reader: BufReader::new(reader),
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
        parse(&body)
    }
}
/// A message as read: each field parsed once, into the values the service works on.
#[derive(Deserialize)]
struct Envelope {
    jsonrpc: Option<String>,
    /// `Some(Value::Null)` when present as `null` (a request with a null id).
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    method: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    params: Option<Value>,
    /// Present at all, `null` included (a response to a request without a result).
    #[serde(default, deserialize_with = "present")]
    result: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    error: Option<Value>,
}

fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// The JSON-RPC message in `body`, or the error to answer it with.
fn parse(body: &[u8]) -> Frame {
    let Ok(envelope) = serde_json::from_slice::<Envelope>(body) else {
        return Frame::Invalid(error(-32700, "the message is not valid JSON"));
    };
    let id = envelope.id.clone();
    envelope.into_message().unwrap_or_else(|| {
        Frame::Invalid(json!({
            "jsonrpc": "2.0",
            "id": id.filter(|id| id.is_number() || id.is_string()).unwrap_or(Value::Null),
            "error": {"code": -32600, "message": "not a JSON-RPC 2.0 request, notification or response"},
        }))
    })
}

impl Envelope {
    fn into_message(self) -> Option<Frame> {
        if self.jsonrpc.as_deref() != Some("2.0") {
            return None;
        }
        let params_ok = self
            .params
            .as_ref()
            .is_none_or(|p| p.is_object() || p.is_array() || p.is_null());
        if !params_ok {
            return None;
        }
        let id = match self.id {
            None => None,
            Some(id) => Some(serde_json::from_value::<Id>(id).ok()?),
        };
        match (self.method, self.result, self.error) {
            (Some(Value::String(method)), _, _) => {
                let mut request = Request::build(method);
                if let Some(params) = self.params {
                    request = request.params(params);
                }
                if let Some(id) = id {
                    request = request.id(id);
                }
                Some(Frame::Request(request.finish()))
            }
            (Some(_), _, _) => None,
            (None, Some(result), None) => Some(Frame::Response(Response::from_ok(id?, result))),
            (None, None, Some(error)) => {
                let error = serde_json::from_value::<jsonrpc::Error>(error).ok()?;
                Some(Frame::Response(Response::from_error(id?, error)))
            }
            _ => None,
        }
    }
}

fn error(code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}})
}

/// How many requests run at once (as in tower-lsp-server's `Server`).
const CONCURRENCY: usize = 4;
/// How many read requests may wait for one of those places.
const WAITING_REQUESTS: usize = 100;
/// After the input ends (`exit`, or the client went away), how long requests still running
/// and the output still queued get.
const GRACE: Duration = Duration::from_secs(1);

/// Serves `service` over the given streams until the input ends or `exit`; server-to-client
/// traffic comes from `socket`, diagnostics from the [`Outbox`].
///
/// Output is written on a thread of its own, so that a response goes out while the next
/// request is computed (requests run on this one task, and a long one would hold it).
pub async fn serve<I, O, S>(
    input: I,
    output: O,
    mut service: S,
    socket: ClientSocket,
    outbox: Outbox,
) where
    I: AsyncRead + Unpin,
    O: std::io::Write + Send + 'static,
    S: Service<Request, Response = Option<Response>>,
    S::Error: std::fmt::Display,
{
    let (client_requests, mut client_responses) = socket.split();
    let (client_requests, stop_client_requests) = futures::stream::abortable(client_requests);
    let (mut tasks, pending_tasks) = futures::channel::mpsc::channel(WAITING_REQUESTS);
    let (input_ended, mut input_ended_signal) = tokio::sync::oneshot::channel::<()>();

    let read_input = async {
        let mut input = FrameReader::new(input);
        loop {
            match input.next().await {
                Frame::Request(request) => {
                    if futures::future::poll_fn(|cx| service.poll_ready(cx))
                        .await
                        .is_err()
                    {
                        break; // the service has exited
                    }
                    // The specification says to exit right after `exit`; some clients keep
                    // their end open.
                    let exit = request.method() == "exit";
                    let code_action = request.method() == "textDocument/codeAction";
                    let answer = service.call(request);
                    let task = async move {
                        let response = answer.await.ok().flatten();
                        match response {
                            Some(response) if code_action => {
                                Some(crate::snippet_edits::finish_code_actions(response))
                            }
                            response => response,
                        }
                    };
                    if tasks.send(task).await.is_err() || exit {
                        break;
                    }
                }
                Frame::Response(response) => {
                    if client_responses.send(response).await.is_err() {
                        break;
                    }
                }
                Frame::Invalid(answer) => outbox.send(frame(answer.to_string().as_bytes())).await,
                Frame::End => break,
            }
        }
        tasks.close_channel();
        stop_client_requests.abort();
        let _ = input_ended.send(());
    };
    let answer_requests = async {
        let mut running = pending_tasks.buffer_unordered(CONCURRENCY);
        let answers = async {
            while let Some(answer) = running.next().await {
                if let Some(response) = answer
                    && let Ok(body) = serde_json::to_vec(&response)
                {
                    outbox.send(frame(&body)).await;
                }
            }
        };
        tokio::pin!(answers);
        tokio::select! {
            _ = &mut answers => return,
            _ = &mut input_ended_signal => {}
        }
        // The input ended: requests waiting for a client that is gone get a grace period.
        let _ = tokio::time::timeout(GRACE, answers).await;
    };
    let forward_client_requests = async {
        let mut client_requests = client_requests;
        while let Some(request) = client_requests.next().await {
            if let Ok(body) = serde_json::to_vec(&request) {
                outbox.send(frame(&body)).await;
            }
        }
    };
    let session = async {
        tokio::join!(read_input, answer_requests, forward_client_requests);
        outbox.close();
    };
    let (written, mut writer_ended) = tokio::sync::oneshot::channel::<()>();
    let runtime = tokio::runtime::Handle::current();
    let writer_outbox = outbox.clone();
    let spawned = std::thread::Builder::new()
        .name("genai-scope-output".into())
        .spawn(move || {
            // A message comes in pieces (a publication: one per workload); they are gathered
            // into large writes here, on this thread, not copied into one buffer first.
            use std::io::Write;
            let mut output = std::io::BufWriter::with_capacity(OUTPUT_BUFFER, output);
            // Waiting on the queue needs no I/O driver, so this thread can block on it.
            while let Some(message) = runtime.block_on(writer_outbox.next()) {
                let written = message
                    .pieces()
                    .iter()
                    .try_for_each(|piece| output.write_all(piece));
                if written.is_err() || output.flush().is_err() {
                    break;
                }
            }
            let _ = written.send(());
        });
    if spawned.is_err() {
        eprintln!("genai-scope: cannot start the output thread");
        return;
    }
    tokio::select! {
        // The client's end is gone: nothing more can be said.
        _ = &mut writer_ended => {}
        _ = session => {
            let _ = tokio::time::timeout(GRACE, writer_ended).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(body: &str) -> bool {
        matches!(
            parse(body.as_bytes()),
            Frame::Request(_) | Frame::Response(_)
        )
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
    fn a_message_is_parsed_into_what_the_service_takes() {
        let Frame::Request(request) =
            parse(br#"{"jsonrpc":"2.0","id":7,"method":"shutdown","params":null}"#)
        else {
            panic!("a request");
        };
        assert_eq!(request.method(), "shutdown");
        assert_eq!(request.id(), Some(&Id::Number(7)));
        assert_eq!(
            request.params(),
            Some(&Value::Null),
            "a null `params` is kept"
        );
        // A notification has no id; a null id is an id.
        let Frame::Request(notification) = parse(br#"{"jsonrpc":"2.0","method":"initialized"}"#)
        else {
            panic!("a notification");
        };
        assert_eq!((notification.id(), notification.params()), (None, None));
        let Frame::Request(null_id) = parse(br#"{"jsonrpc":"2.0","id":null,"method":"x"}"#) else {
            panic!("a request");
        };
        assert_eq!(null_id.id(), Some(&Id::Null));
        // Responses, with a result (null too) or an error.
        let Frame::Response(response) = parse(br#"{"jsonrpc":"2.0","id":"a","result":null}"#)
        else {
            panic!("a response");
        };
        assert_eq!(response.id(), &Id::String("a".into()));
        assert_eq!(response.result(), Some(&Value::Null));
        let Frame::Response(failed) =
            parse(br#"{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"no"}}"#)
        else {
            panic!("a response");
        };
        assert!(failed.is_error());
        // The same as tower-lsp-server reads it.
        let text = r#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///a"},"position":{"line":0,"character":1}}}"#;
        let Frame::Request(ours) = parse(text.as_bytes()) else {
            panic!("a request");
        };
        assert_eq!(ours, serde_json::from_str::<Request>(text).unwrap());
    }

    #[test]
    fn other_json_is_not() {
        assert!(!accepted("[1, 2, 3]"));
        assert!(!accepted(r#"{"jsonrpc":"1.0","method":"x"}"#));
        assert!(!accepted(r#"{"jsonrpc":"2.0","id":1}"#));
        assert!(!accepted(r#"{"jsonrpc":"2.0","method":"x","params":3}"#));
        assert!(!accepted(r#"{"jsonrpc":"2.0","method":5}"#));
        assert!(!accepted(r#"{"jsonrpc":"2.0","id":1.5,"result":1}"#));
        assert!(
            !accepted(r#"{"jsonrpc":"2.0","result":1}"#),
            "a response needs an id"
        );
        assert!(!accepted(
            r#"{"jsonrpc":"2.0","id":1,"error":{"no":"code"}}"#
        ));
        assert!(matches!(parse(b"{not json"), Frame::Invalid(_)));
    }
}
