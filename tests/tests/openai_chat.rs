//! OpenAI's `POST /chat/completions` (generated/openai-chat, cut from OpenAI's published
//! document by specs/openai/trim.py): against a local stub that replays recorded-format answers
//! (`tests/openai/*.sse`: `data: {...}` chunks in OpenAI's chunk format, then `data: [DONE]`;
//! `chat.json`), the chunks decode into the generated `CreateChatCompletionStreamResponse`, and
//! the same operation answers JSON when the caller asks for JSON.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use futures_util::{stream, StreamExt};
use openai_chat::client::{Client, Error};
use openai_chat::types::{CreateChatCompletionRequest, CreateChatCompletionStreamResponse};
use serde_json::{json, Value};

const STREAM: &str = include_str!("openai/chat.sse");
const TOOL_CALL_STREAM: &str = include_str!("openai/chat-tool-call.sse");
const ANSWER: &str = include_str!("openai/chat.json");

/// What the stub received: the `Accept` header and the JSON body of each request.
type Seen = Arc<Mutex<Vec<(Option<String>, Value)>>>;

/// The stub: with `"stream": true` it replays `recording` in small pieces, as a network would
/// cut it (a chunk boundary falls inside lines and inside JSON); otherwise it answers
/// `chat.json`.
async fn stub(recording: &'static str) -> (Client, Seen) {
    let seen = Seen::default();
    let record = seen.clone();
    let router = Router::new().route(
        "/chat/completions",
        post(move |headers: HeaderMap, body: String| async move {
            let body: Value = serde_json::from_str(&body).unwrap();
            let accept = headers
                .get(header::ACCEPT)
                .map(|v| v.to_str().unwrap().to_owned());
            let streamed = body["stream"] == json!(true);
            record.lock().unwrap().push((accept, body));
            if !streamed {
                return ([(header::CONTENT_TYPE, "application/json")], ANSWER).into_response();
            }
            let pieces = recording
                .as_bytes()
                .chunks(37)
                .map(|piece| Ok::<_, std::io::Error>(piece.to_vec()));
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .body(Body::from_stream(stream::iter(pieces).then(
                    |piece| async {
                        tokio::task::yield_now().await;
                        piece
                    },
                )))
                .unwrap()
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = Client::new(format!("http://{addr}"));
    client.set_api_key_auth_token("sk-test");
    (client, seen)
}

fn request(stream: bool) -> CreateChatCompletionRequest {
    serde_json::from_value(json!({
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Say hello."}],
        "stream": stream,
    }))
    .expect("a chat request")
}

async fn chunks(client: &Client, stream: bool) -> Vec<CreateChatCompletionStreamResponse> {
    let events = client
        .create_chat_completion(request(stream))
        .send_events()
        .await
        .expect("the events open");
    tokio::time::timeout(
        Duration::from_secs(30),
        events
            .map(|event| event.expect("a chunk that decodes").data)
            .collect(),
    )
    .await
    .expect("the stream ends by itself at `data: [DONE]`")
}

#[tokio::test]
async fn a_streamed_chat_completion_decodes_chunk_by_chunk() {
    let (client, seen) = stub(STREAM).await;
    let chunks = chunks(&client, true).await;
    // 12 chunks in the recording: the role, nine deltas, the finish reason, the usage; the
    // `[DONE]` sentinel is the end, no chunk.
    assert_eq!(chunks.len(), 12);
    for chunk in &chunks {
        assert_eq!(chunk.id, "chatcmpl-BZ3pQ6sJvRk8eXf1TqW2mN9yLc4Ha");
        assert_eq!(chunk.model, "gpt-4o-mini-2024-07-18");
        assert_eq!(chunk.created, 1_733_486_400);
    }
    let text: String = chunks
        .iter()
        .flat_map(|c| &c.choices)
        .filter_map(|choice| choice.delta.content.clone().into_value())
        .collect();
    assert_eq!(text, "Hello! How can I help you today?");
    let finish: Vec<_> = chunks
        .iter()
        .flat_map(|c| &c.choices)
        .filter_map(|choice| choice.finish_reason.as_ref())
        .map(|reason| format!("{reason:?}"))
        .collect();
    assert_eq!(finish, ["Stop"]);
    let usage = chunks
        .last()
        .unwrap()
        .usage
        .clone()
        .into_value()
        .expect("usage last");
    assert_eq!((usage.prompt_tokens, usage.completion_tokens), (19, 10));
    assert!(chunks[..11]
        .iter()
        .all(|c| c.usage.clone().into_value().is_none()));

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0.as_deref(), Some("text/event-stream"));
    assert_eq!(seen[0].1["stream"], json!(true));
}

#[tokio::test]
async fn a_streamed_tool_call_assembles_its_arguments() {
    let (client, _) = stub(TOOL_CALL_STREAM).await;
    let chunks = chunks(&client, true).await;
    assert_eq!(chunks.len(), 9);
    let calls: Vec<_> = chunks
        .iter()
        .flat_map(|c| &c.choices)
        .flat_map(|choice| choice.delta.tool_calls.iter().flatten())
        .collect();
    assert_eq!(
        calls[0].id.as_deref(),
        Some("call_Kx8mW2pLr5QvT1nB7yZcD3fH")
    );
    let name = calls[0].function.as_ref().and_then(|f| f.name.clone());
    assert_eq!(name.as_deref(), Some("get_weather"));
    let arguments: String = calls
        .iter()
        .filter_map(|call| call.function.as_ref()?.arguments.clone())
        .collect();
    let arguments: Value = serde_json::from_str(&arguments).expect("the arguments are JSON");
    assert_eq!(arguments, json!({"location": "Paris, France"}));
}

#[tokio::test]
async fn the_same_operation_answers_json_when_asked_for_json() {
    let (client, seen) = stub(STREAM).await;
    let answer = client
        .create_chat_completion(request(false))
        .await
        .expect("the JSON answer");
    assert_eq!(answer.id, "chatcmpl-BZ3rK7dFgHj2kLm9NpQ4sTu6VwXy1");
    let message = &answer.choices[0].message;
    assert_eq!(
        message.content.as_deref(),
        Some("Hello! How can I help you today?")
    );
    assert_eq!(answer.usage.as_ref().map(|u| u.total_tokens), Some(29));
    // Asking for events while the server answers JSON is a typed error, not garbage.
    match client
        .create_chat_completion(request(false))
        .send_events()
        .await
    {
        Err(Error::UnexpectedContentType { content_type, .. }) => {
            assert_eq!(content_type.as_deref(), Some("application/json"))
        }
        other => panic!("expected a content type error, got {:?}", other.err()),
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].0.as_deref(), Some("application/json"));
}
