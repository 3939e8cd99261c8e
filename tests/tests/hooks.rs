//! Webhooks and callbacks end to end on 127.0.0.1 (issue 14): generated senders talking to
//! generated receivers.
//!
//! - `webhook-example` (the specification's example): the sender posts a `Pet` to the
//!   receiver, which validates it as the server would;
//! - `callback-example`: the client subscribes with the URL of its callback receiver, the
//!   server's handler calls that URL back (evaluated from `{$request.query.callbackUrl}/data`)
//!   through the callback sender, the receiver gets the typed payload;
//! - `fastapi-webhooks` (a FastAPI app's `app.webhooks`): both webhooks, and pydantic's
//!   validation envelope as a typed error of the sender. The same sender against the FastAPI
//!   app itself: `tests/fastapi-webhooks/run.sh`.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::json;
use stencil::server::Error;
use tokio::sync::mpsc;

/// Serve `router` on a free port of 127.0.0.1; its base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

async fn next<T>(rx: &mut mpsc::UnboundedReceiver<T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("received within 10 s")
        .expect("a value")
}

mod webhooks_spec_example {
    use super::{json, mpsc, next, serve, Error};
    use webhook_example::types::Pet;
    use webhook_example::webhooks::receiver::{self, Webhooks};
    use webhook_example::webhooks::sender;

    struct Subscriber(mpsc::UnboundedSender<Option<Pet>>);

    impl Webhooks for Subscriber {
        type Error = Error;

        async fn post_new_pet(
            &self,
            request: receiver::PostNewPetRequest,
        ) -> Result<receiver::PostNewPetResponse, Error> {
            self.0.send(request.body).unwrap();
            Ok(receiver::PostNewPetResponse::Ok)
        }
    }

    #[tokio::test]
    async fn the_sender_delivers_a_typed_pet_to_the_receiver() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let base = serve(receiver::router(Subscriber(tx))).await;
        let pet = Pet {
            id: 7,
            name: "Rex".into(),
            tag: Some("dog".into()),
        };
        let sent = sender::Client::new()
            .post_new_pet(format!("{base}/post_new_pet"), pet.clone())
            .await
            .unwrap();
        assert_eq!(sent.status(), 200);
        assert_eq!(next(&mut rx).await, Some(pet));
    }

    #[tokio::test]
    async fn the_receiver_validates_as_the_server_does() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let base = serve(receiver::router(Subscriber(tx))).await;
        let http = reqwest::Client::new();
        let url = format!("{base}/post_new_pet");
        let refused = http
            .post(&url)
            .json(&json!({"id": "seven", "name": "Rex"}))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let body: serde_json::Value = refused.json().await.unwrap();
        assert!(body.to_string().contains("id"), "{body}");
        // The body is optional in the document: no body is a valid delivery.
        let empty = http.post(&url).send().await.unwrap();
        assert_eq!(empty.status(), 200);
        assert_eq!(next(&mut rx).await, None);
        // Only the webhook's method and route are served.
        let other = http.get(&url).send().await.unwrap();
        assert_eq!(other.status(), 405);
    }

    #[tokio::test]
    async fn sender_failures_are_typed() {
        let (tx, _rx) = mpsc::unbounded_channel();
        let base = serve(receiver::router(Subscriber(tx))).await;
        let pet = Pet {
            id: 1,
            name: "a".into(),
            tag: None,
        };
        let sender = sender::Client::new();
        // A subscriber URL that answers a status the webhook does not declare.
        let err = sender
            .post_new_pet(format!("{base}/elsewhere"), pet.clone())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, stencil::client::Error::UnexpectedStatus { status, .. } if *status == 404),
            "{err:?}"
        );
        // Not a URL: refused before anything is sent.
        let err = sender.post_new_pet("not a url", pet).await.unwrap_err();
        assert!(
            matches!(&err, stencil::client::Error::InvalidRequest(m) if m.contains("invalid URL")),
            "{err:?}"
        );
    }
}

mod callbacks_spec_example {
    use super::{mpsc, next, serve, Error};
    use callback_example::callbacks::receiver::{self, Callbacks};
    use callback_example::callbacks::sender;
    use callback_example::client::Client;
    use callback_example::server::{self, Api};
    use callback_example::types::{PostOnDataBody, PostStreamsResponse};
    use stencil::chrono::{TimeZone, Utc};

    /// The API provider: answers the subscription, then calls back.
    struct Provider;

    impl Api for Provider {
        type Error = Error;

        async fn post_streams(
            &self,
            request: server::PostStreamsRequest,
        ) -> Result<server::PostStreamsResponse, Error> {
            // Out of band, as a real provider would: after the subscription is answered.
            let origin = request.origin;
            tokio::spawn(async move {
                let data = PostOnDataBody {
                    timestamp: Some(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()),
                    user_data: Some("first".into()),
                };
                let sent = sender::Client::new()
                    .post_on_data(&origin, data)
                    .await
                    .expect("the callback is delivered");
                assert_eq!(sent.status(), 202);
            });
            Ok(server::PostStreamsResponse::Created(PostStreamsResponse {
                subscription_id: request.callback_url,
            }))
        }
    }

    /// The subscriber's callback receiver.
    struct Subscriber(mpsc::UnboundedSender<Option<PostOnDataBody>>);

    impl Callbacks for Subscriber {
        type Error = Error;

        async fn post_on_data(
            &self,
            request: receiver::PostOnDataRequest,
        ) -> Result<receiver::PostOnDataResponse, Error> {
            self.0.send(request.body).unwrap();
            Ok(receiver::PostOnDataResponse::Accepted)
        }
    }

    #[tokio::test]
    async fn the_server_calls_back_the_url_the_client_gave() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let receiver_base = serve(receiver::router(Subscriber(tx))).await;
        let client = Client::new(serve(server::router(Provider)).await);
        let callback_url = format!("{receiver_base}/post_on_data");
        let created = client.post_streams(callback_url.clone()).await.unwrap();
        assert_eq!(created.status(), 201);
        assert_eq!(created.subscription_id, callback_url);
        let data = next(&mut rx).await.expect("a payload");
        assert_eq!(data.user_data.as_deref(), Some("first"));
        assert_eq!(
            data.timestamp,
            Some(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap())
        );
    }

    #[tokio::test]
    async fn a_callback_url_without_its_value_is_refused_unsent() {
        let origin = stencil::expression::Origin::default();
        let err = sender::Client::new()
            .post_on_data(&origin, PostOnDataBody::default())
            .await
            .unwrap_err();
        let stencil::client::Error::InvalidRequest(message) = &err else {
            panic!("{err:?}");
        };
        assert!(
            message.contains("$request.query.callbackUrl")
                && message.contains("no query parameter `callbackUrl`"),
            "{message}"
        );
    }
}

mod fastapi_app_webhooks {
    use super::{json, mpsc, next, serve, Error};
    use fastapi_webhooks::types::{Cancellation, Plan, Receipt, Subscription};
    use fastapi_webhooks::webhooks::receiver::{self, Webhooks};
    use fastapi_webhooks::webhooks::sender::{self, NewSubscriptionError};
    use stencil::chrono::{TimeZone, Utc};

    enum Delivery {
        New(Subscription),
        Cancelled(Cancellation),
    }

    struct Subscriber(mpsc::UnboundedSender<Delivery>);

    impl Webhooks for Subscriber {
        type Error = Error;

        async fn new_subscription(
            &self,
            request: receiver::NewSubscriptionRequest,
        ) -> Result<receiver::NewSubscriptionResponse, Error> {
            let note = format!("welcome {}", request.body.username);
            self.0.send(Delivery::New(request.body)).unwrap();
            Ok(receiver::NewSubscriptionResponse::Ok(Receipt {
                accepted: true,
                note: stencil::Nullable::Value(note),
            }))
        }

        async fn cancellation(
            &self,
            request: receiver::CancellationRequest,
        ) -> Result<receiver::CancellationResponse, Error> {
            self.0.send(Delivery::Cancelled(request.body)).unwrap();
            Ok(receiver::CancellationResponse::Ok(Receipt {
                accepted: false,
                note: stencil::Nullable::Absent,
            }))
        }
    }

    fn subscription(fee: f64) -> Subscription {
        Subscription {
            username: "ada".into(),
            plan: Plan {
                name: "pro".into(),
                monthly_fee: fee,
            },
            start_date: Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap(),
            referrer: stencil::Nullable::Absent,
        }
    }

    #[tokio::test]
    async fn both_webhooks_arrive_typed_with_typed_receipts() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let base = serve(receiver::router(Subscriber(tx))).await;
        let sender = sender::Client::new();
        let receipt = sender
            .new_subscription(format!("{base}/new_subscription"), subscription(9.5))
            .await
            .unwrap();
        assert_eq!(receipt.note, stencil::Nullable::Value("welcome ada".into()));
        let Delivery::New(got) = next(&mut rx).await else {
            panic!("not the subscription")
        };
        assert_eq!(got, subscription(9.5));
        let cancel = Cancellation {
            username: "ada".into(),
            reason: stencil::Nullable::Value("moving".into()),
        };
        let receipt = sender
            .cancellation(format!("{base}/cancellation"), cancel.clone())
            .await
            .unwrap();
        assert!(!receipt.accepted);
        let Delivery::Cancelled(got) = next(&mut rx).await else {
            panic!("not the cancellation")
        };
        assert_eq!(got, cancel);
    }

    #[tokio::test]
    async fn a_payload_the_receiver_refuses_is_the_declared_422() {
        let (tx, _rx) = mpsc::unbounded_channel();
        let base = serve(receiver::router(Subscriber(tx))).await;
        let err = sender::Client::new()
            .new_subscription(format!("{base}/new_subscription"), subscription(-1.0))
            .await
            .unwrap_err();
        let stencil::client::Error::Api(response) = err else {
            panic!("{err:?}");
        };
        assert_eq!(response.status(), 422);
        let NewSubscriptionError::UnprocessableEntity(envelope) = response.into_inner();
        let detail = envelope.detail.unwrap();
        assert_eq!(detail.len(), 1);
        assert_eq!(detail[0].type_, "greater_than_equal");
        let loc = serde_json::to_value(&detail[0].loc).unwrap();
        assert_eq!(loc, json!(["body", "plan", "monthly_fee"]));
    }
}
