//! [`Event`]: one server-sent event, as the client receives it and as a server handler sends it.

use std::time::Duration;

/// One server-sent event (`text/event-stream`) with a typed payload.
///
/// A client stream yields these with `data` decoded; a server handler returns a stream of them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Event<T> {
    /// The event type (`event:`). A client sees `message` for events sent without one; a server
    /// sends none when this is empty or `message`.
    pub event: String,
    /// The last event ID (`id:`): on the client, the last one the server set on this stream,
    /// which is what a reconnection sends as `Last-Event-ID`; `None` before any.
    pub id: Option<String>,
    /// The reconnection delay the server asked for with this event (`retry:`).
    pub retry: Option<Duration>,
    /// The payload (`data:`, its lines joined with `\n`, decoded).
    pub data: T,
}

/// A payload decoded by the event's type: an enum with a variant per `event` name (OpenAPI 3.2
/// `itemSchema` with a `oneOf` over `event`). Generated code implements it; a client hands
/// `stencil::client::from_event::<T>` to `Request::events`, a server sends
/// [`Event::keyed`] events.
pub trait FromEvent: Sized {
    /// Decode the `data` of an event of type `event`; `Err` is the reason it does not decode.
    fn from_event(event: &str, data: &str) -> Result<Self, String>;

    /// The event type this payload is sent as (`None`: the default, `message`).
    fn event_name(&self) -> Option<&'static str> {
        None
    }
}

impl<T: FromEvent> Event<T> {
    /// An event whose type is the one its payload names ([`FromEvent::event_name`]).
    pub fn keyed(data: T) -> Self {
        let event = data.event_name().unwrap_or("message");
        Event::new(data).event(event)
    }
}

impl<T> Event<T> {
    /// An event of the default type (`message`) without ID or retry.
    pub fn new(data: T) -> Self {
        Event {
            event: "message".to_owned(),
            id: None,
            retry: None,
            data,
        }
    }

    /// Set the event type.
    pub fn event(mut self, event: impl Into<String>) -> Self {
        self.event = event.into();
        self
    }

    /// Set the event ID.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Set the reconnection delay.
    pub fn retry(mut self, retry: Duration) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The same event with the payload mapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Event<U> {
        Event {
            event: self.event,
            id: self.id,
            retry: self.retry,
            data: f(self.data),
        }
    }
}
