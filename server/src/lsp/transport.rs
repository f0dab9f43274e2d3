//! A guard in front of tower-lsp-server's transport: its framed reader ends the whole session
//! at the first message that is not valid JSON-RPC. Here every frame is checked first; a bad
//! one is answered with a JSON-RPC error and the session goes on.

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

async fn read_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Frame {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line).await {
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length.filter(|l| *l <= MAX_MESSAGE) else {
        return Frame::Invalid(error(-32700, "missing or invalid Content-Length header"));
    };
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).await.is_err() {
        return Frame::End;
    }
    match serde_json::from_slice::<Value>(&body) {
        Err(_) => Frame::Invalid(error(-32700, "the message is not valid JSON")),
        Ok(value) if is_json_rpc(&value) => Frame::Message(body),
        Ok(value) => Frame::Invalid(json!({
            "jsonrpc": "2.0",
            "id": value.get("id").filter(|id| id.is_number() || id.is_string()).cloned().unwrap_or(Value::Null),
            "error": {"code": -32600, "message": "not a JSON-RPC 2.0 request, notification or response"},
        })),
    }
}

fn is_json_rpc(value: &Value) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    let id_ok = object
        .get("id")
        .is_none_or(|id| id.is_number() || id.is_string() || id.is_null());
    let params_ok = object
        .get("params")
        .is_none_or(|p| p.is_object() || p.is_array() || p.is_null());
    object.get("jsonrpc") == Some(&json!("2.0"))
        && id_ok
        && params_ok
        && (object.get("method").is_some_and(Value::is_string)
            || object.contains_key("result")
            || object.contains_key("error"))
}

fn error(code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}})
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Runs `serve` (tower-lsp-server over the given pipe ends) behind the guard.
pub async fn guarded<I, O, F, Fut>(input: I, mut output: O, serve: F)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin,
    F: FnOnce(tokio::io::DuplexStream, tokio::io::DuplexStream) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (mut to_server, server_input) = tokio::io::duplex(1 << 20);
    let (server_output, from_server) = tokio::io::duplex(1 << 20);
    let (frames, mut outgoing) = mpsc::unbounded_channel::<Vec<u8>>();

    let errors = frames.clone();
    let reader = tokio::spawn(async move {
        let mut input = BufReader::new(input);
        loop {
            match read_frame(&mut input).await {
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
        let mut from_server = BufReader::new(from_server);
        while let Frame::Message(body) = read_frame(&mut from_server).await {
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
        serve(server_input, server_output).await;
    };
    // The session ends on `exit` or at the end of input; then stop relaying.
    tokio::select! {
        _ = async { tokio::join!(session, relay) } => {}
        _ = writer => {}
    }
    reader.abort();
}
