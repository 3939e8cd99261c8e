//! The generated webhook sender against a real FastAPI server (`tests/fastapi-webhooks/run.sh`,
//! issue 14). The FastAPI app (`tests/fastapi-webhooks/app.py`) declares the webhooks the
//! sender is generated from, and serves a receiver of its own for `new-subscription`:
//!
//! - a valid payload is accepted by pydantic and answered with the typed receipt, and the app
//!   lists exactly what it received (read with the generated client);
//! - a payload pydantic refuses comes back as the typed 422 (`HTTPValidationError`), with the
//!   same errors as the generated receiver gives for it.
//!
//! ```text
//! cargo run -p stencil-tests --example fastapi_webhooks -- http://127.0.0.1:8000
//! ```

use fastapi_webhooks::client::Client;
use fastapi_webhooks::types::{HttpValidationError, Plan, Receipt, Subscription};
use fastapi_webhooks::webhooks::receiver::{self, Webhooks};
use fastapi_webhooks::webhooks::sender::{self, NewSubscriptionError};
use stencil::chrono::{TimeZone, Utc};

/// A generated receiver that accepts everything valid.
struct Accepting;

impl Webhooks for Accepting {
    type Error = stencil::server::Error;

    async fn new_subscription(
        &self,
        request: receiver::NewSubscriptionRequest,
    ) -> Result<receiver::NewSubscriptionResponse, Self::Error> {
        Ok(receiver::NewSubscriptionResponse::Ok(Receipt {
            accepted: true,
            note: stencil::Nullable::Value(format!("welcome {}", request.body.username)),
        }))
    }

    async fn cancellation(
        &self,
        _: receiver::CancellationRequest,
    ) -> Result<receiver::CancellationResponse, Self::Error> {
        Ok(receiver::CancellationResponse::Ok(Receipt {
            accepted: true,
            note: stencil::Nullable::Absent,
        }))
    }
}

fn subscription(username: &str, plan: &str, fee: f64) -> Subscription {
    Subscription {
        username: username.into(),
        plan: Plan {
            name: plan.into(),
            monthly_fee: fee,
        },
        start_date: Utc.with_ymd_and_hms(2026, 12, 6, 12, 30, 0).unwrap(),
        referrer: stencil::Nullable::Value("newsletter".into()),
    }
}

/// The 422 envelope the sender got for `payload` at `url`.
async fn refusal(sender: &sender::Client, url: &str, payload: Subscription) -> HttpValidationError {
    match sender.new_subscription(url, payload).await {
        Err(stencil::client::Error::Api(response)) => {
            assert_eq!(response.status(), 422, "{url}");
            let NewSubscriptionError::UnprocessableEntity(envelope) = response.into_inner();
            envelope
        }
        other => panic!("{url}: expected the typed 422, got {other:?}"),
    }
}

#[tokio::main]
async fn main() {
    let fastapi = std::env::args()
        .nth(1)
        .expect("usage: fastapi_webhooks FASTAPI_BASE_URL");
    let sender = sender::Client::new();
    let to_fastapi = format!("{fastapi}/receiver/new-subscription");

    // 1. A valid payload: pydantic accepts it, the receipt is typed.
    let sent = subscription("ada", "pro", 9.5);
    let receipt = sender
        .new_subscription(&to_fastapi, sent.clone())
        .await
        .expect("FastAPI accepts the payload");
    assert_eq!(receipt.status(), 200);
    assert!(receipt.accepted);
    assert_eq!(receipt.note, stencil::Nullable::Value("welcome ada".into()));
    println!("ok: FastAPI received the typed payload and answered {receipt:?}");

    // 2. Payloads pydantic refuses: the typed 422, the same errors as the generated receiver's.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ours = format!("http://{}/new_subscription", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, receiver::router(Accepting))
            .await
            .unwrap()
    });
    let refused = [
        subscription("bob", "pro", -1.0),
        subscription("", "", 1.0),
        subscription("carl", "a plan name far too long", f64::MAX),
    ];
    for payload in refused {
        let theirs = refusal(&sender, &to_fastapi, payload.clone()).await;
        let mine = refusal(&sender, &ours, payload.clone()).await;
        let errors = |e: &HttpValidationError| {
            let detail = e.detail.clone().unwrap_or_default();
            assert!(!detail.is_empty());
            detail
                .iter()
                .map(|d| {
                    (
                        serde_json::to_value(&d.loc).unwrap(),
                        d.type_.clone(),
                        d.msg.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(errors(&theirs), errors(&mine), "{payload:?}");
        println!(
            "ok: both receivers refuse {payload:?}: {:?}",
            errors(&theirs)
        );
    }

    // 3. FastAPI kept exactly the valid payload, read back with the generated client.
    let received = Client::new(&fastapi)
        .received()
        .await
        .expect("the list of received payloads");
    assert_eq!(received.into_inner(), vec![sent]);
    println!("ok: FastAPI kept exactly the payload sent");
}
