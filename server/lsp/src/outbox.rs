//! The server's output queue, with bounded memory when the client stops reading.
//!
//! Diagnostics are coalesced per document: a publication for a document whose previous one
//! is still waiting replaces it in place, so at most one publication per document is ever
//! queued and the client gets the newest one. Every other message (responses, requests and
//! notifications of tower-lsp-server's client) is kept, but at most [`MAX_FRAMES`] of them:
//! a producer waits for room, which in the end stops the server reading its input (the
//! ordinary back-pressure of a pipe) instead of growing the queue.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use tokio::sync::{Notify, Semaphore};

/// How many messages other than diagnostics may wait to be written.
pub const MAX_FRAMES: usize = 1024;

enum Item {
    Frame(Vec<u8>),
    /// The newest publication for this document, in [`State::diagnostics`].
    Diagnostics(String),
}

/// A message as written: its bytes in order, in one piece or several. A publication's
/// pieces are the JSON of each workload, shared with the cache that keeps it for the next
/// publication rather than copied into one buffer (25 MB for a large document).
#[derive(Clone, Debug, Default)]
pub struct Message(Vec<Bytes>);

impl Message {
    pub fn new(pieces: Vec<Bytes>) -> Self {
        Self(pieces)
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(Bytes::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Bytes::is_empty)
    }

    pub fn pieces(&self) -> &[Bytes] {
        &self.0
    }

    /// The bytes in one buffer.
    pub fn to_vec(&self) -> Vec<u8> {
        self.0.concat()
    }
}

impl From<Vec<u8>> for Message {
    fn from(bytes: Vec<u8>) -> Self {
        Self(vec![Bytes::from(bytes)])
    }
}

#[derive(Default)]
struct State {
    items: VecDeque<Item>,
    diagnostics: HashMap<String, Message>,
    bytes: usize,
    closed: bool,
    statistics: Statistics,
}

/// What the queue held at most, and how many publications were replaced unsent.
#[derive(Clone, Copy, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
    pub most_messages: usize,
    pub most_bytes: usize,
    pub replaced_publications: u64,
}

struct Queue {
    state: Mutex<State>,
    /// Signalled when something is queued or the queue is closed (one consumer).
    ready: Notify,
    /// Room for [`Item::Frame`]s.
    room: Semaphore,
}

/// The sending side, shared by the transport and the server; cheap to clone.
#[derive(Clone)]
pub struct Outbox(Arc<Queue>);

impl Default for Outbox {
    fn default() -> Self {
        Self(Arc::new(Queue {
            state: Mutex::default(),
            ready: Notify::new(),
            room: Semaphore::new(MAX_FRAMES),
        }))
    }
}

/// A JSON-RPC message with its header, ready to write.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

impl Outbox {
    fn state(&self) -> MutexGuard<'_, State> {
        self.0.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `textDocument/publishDiagnostics` for `uri`, replacing one still waiting.
    /// Serialised once, straight from `params` (tower-lsp-server's client goes through an
    /// intermediate `serde_json::Value`, which dominates the cost of publishing thousands of
    /// diagnostics).
    pub fn publish_diagnostics<P: serde::Serialize>(&self, uri: &str, params: &P) {
        #[derive(serde::Serialize)]
        struct Notification<'a, P> {
            jsonrpc: &'static str,
            method: &'static str,
            params: &'a P,
        }
        let message = Notification {
            jsonrpc: "2.0",
            method: "textDocument/publishDiagnostics",
            params,
        };
        let Ok(body) = serde_json::to_vec(&message) else {
            return;
        };
        self.publish_frame(uri, frame(&body).into());
    }

    /// Queues the frame of a `textDocument/publishDiagnostics` for `uri`, written whole by
    /// the caller, replacing one still waiting.
    pub fn publish_frame(&self, uri: &str, bytes: Message) {
        let mut state = self.state();
        if state.closed {
            return;
        }
        let added = bytes.len();
        match state.diagnostics.insert(uri.to_string(), bytes) {
            Some(replaced) => {
                state.bytes -= replaced.len();
                state.statistics.replaced_publications += 1;
            }
            None => state.items.push_back(Item::Diagnostics(uri.to_string())),
        }
        state.bytes += added;
        note_size(&mut state);
        drop(state);
        self.0.ready.notify_one();
    }

    /// Queues a message, waiting while [`MAX_FRAMES`] are already waiting.
    pub async fn send(&self, bytes: Vec<u8>) {
        let Ok(permit) = self.0.room.acquire().await else {
            return; // closed
        };
        // Given back by the writer once this one is written.
        permit.forget();
        let mut state = self.state();
        if state.closed {
            return;
        }
        state.bytes += bytes.len();
        state.items.push_back(Item::Frame(bytes));
        note_size(&mut state);
        drop(state);
        self.0.ready.notify_one();
    }

    /// The next message to write; `None` once closed and empty.
    pub async fn next(&self) -> Option<Message> {
        loop {
            {
                let mut state = self.state();
                if let Some(item) = state.items.pop_front() {
                    let bytes = match item {
                        Item::Frame(bytes) => {
                            self.0.room.add_permits(1);
                            Message::from(bytes)
                        }
                        Item::Diagnostics(uri) => {
                            state.diagnostics.remove(&uri).unwrap_or_default()
                        }
                    };
                    state.bytes -= bytes.len();
                    return Some(bytes);
                }
                if state.closed {
                    return None;
                }
            }
            self.0.ready.notified().await;
        }
    }

    /// No more messages are accepted; what is queued is still written.
    pub fn close(&self) {
        self.state().closed = true;
        self.0.room.close();
        self.0.ready.notify_one();
    }

    pub fn statistics(&self) -> Statistics {
        self.state().statistics
    }
}

fn note_size(state: &mut State) {
    let statistics = &mut state.statistics;
    statistics.most_messages = statistics.most_messages.max(state.items.len());
    statistics.most_bytes = statistics.most_bytes.max(state.bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(bytes: &[u8]) -> serde_json::Value {
        let text = std::str::from_utf8(bytes).unwrap();
        let (_, body) = text.split_once("\r\n\r\n").unwrap();
        serde_json::from_str(body).unwrap()
    }

    #[tokio::test]
    async fn only_the_newest_publication_per_document_waits_in_its_place() {
        let outbox = Outbox::default();
        for version in 1..=1000 {
            outbox.publish_diagnostics(
                "file:///a",
                &serde_json::json!({"uri": "file:///a", "version": version}),
            );
            if version == 1 {
                outbox.send(frame(b"{\"id\":1}")).await;
            }
            outbox.publish_diagnostics(
                "file:///b",
                &serde_json::json!({"uri": "file:///b", "version": version}),
            );
        }
        let statistics = outbox.statistics();
        assert_eq!(statistics.most_messages, 3);
        assert_eq!(statistics.replaced_publications, 2 * 999);
        outbox.close();
        let mut written = Vec::new();
        while let Some(bytes) = outbox.next().await {
            written.push(body(&bytes.to_vec()));
        }
        // In the order first queued, each with its newest content.
        assert_eq!(
            written,
            [
                serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": "file:///a", "version": 1000}}),
                serde_json::json!({"id": 1}),
                serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": "file:///b", "version": 1000}}),
            ]
        );
        // Once written, a publication queues anew.
        let outbox = Outbox::default();
        outbox.publish_diagnostics("file:///a", &1);
        assert!(outbox.next().await.is_some());
        outbox.publish_diagnostics("file:///a", &2);
        outbox.close();
        assert_eq!(body(&outbox.next().await.unwrap().to_vec())["params"], 2);
        assert!(outbox.next().await.is_none());
    }

    #[tokio::test]
    async fn other_messages_wait_for_room() {
        let outbox = Outbox::default();
        for id in 0..MAX_FRAMES {
            outbox.send(frame(id.to_string().as_bytes())).await;
        }
        let sending = outbox.send(frame(b"\"one too many\""));
        tokio::pin!(sending);
        // No room: the sender waits (checked deterministically, without a timer).
        assert!(futures::poll!(&mut sending).is_pending());
        assert!(outbox.next().await.is_some());
        sending.await;
        assert_eq!(outbox.statistics().most_messages, MAX_FRAMES);
    }
}
