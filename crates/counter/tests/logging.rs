//! What a counter tells the logs. This file holds a single test, so that the
//! test owns its process and the log capture below sees only its own events.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actors_core::Transcript;
use counter::{CounterActor, CounterArgs, CounterMessage, get_value};
use ractor::Actor;
use tracing_subscriber::fmt::MakeWriter;

/// A log destination that keeps everything written to it.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl MakeWriter<'_> for Captured {
    type Writer = Captured;

    fn make_writer(&self) -> Captured {
        self.clone()
    }
}

/// A refused operation leaves a warning in the logs that names the counter
/// and says why, so a rejection is never silent even when nobody reads the
/// stats.
#[tokio::test]
async fn a_rejected_operation_is_logged_with_its_reason() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .without_time()
        .finish();
    // The test runtime has one thread, which also runs the counter's task, so
    // a thread-local subscriber sees the counter's events.
    let _guard = tracing::subscriber::set_default(subscriber);
    let args = CounterArgs {
        id: "counter-7".into(),
        transcript: Transcript::memory(),
    };
    let (counter, _) = Actor::spawn(None, CounterActor, args).await.unwrap();

    counter
        .cast(CounterMessage::Decrement { amount: -1 })
        .unwrap();
    // A call after the cast returns only once the cast has been handled.
    get_value(&counter, Duration::from_secs(1)).await.unwrap();

    let text = logs.text();
    assert!(text.contains("WARN"), "{text}");
    assert!(text.contains("operation rejected"), "{text}");
    assert!(text.contains("counter=counter-7"), "{text}");
    assert!(
        text.contains("decrement by -1 has a negative amount"),
        "{text}"
    );
}
