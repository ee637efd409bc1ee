//! A node server's session events, as a channel a task can wait on.

use ractor::ActorRef;
use ractor_cluster::node::NodeServerSessionInformation;
use ractor_cluster::{NodeEventSubscription, NodeId, NodeServerMessage};
use tokio::sync::mpsc;

/// What happened to one session with another node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// A TCP connection opened; the handshake has not begun.
    Opened {
        /// The session's number on this node.
        node: NodeId,
        /// The other side's address.
        peer: String,
    },
    /// The cookie challenge passed and the two nodes have exchanged their
    /// process groups: remote actors can be looked up and sent to.
    Ready {
        /// The session's number on this node.
        node: NodeId,
        /// The other side's address.
        peer: String,
    },
    /// The session ended, for whatever reason: a wrong cookie ends it this
    /// way too, without saying so.
    Closed {
        /// The session's number on this node.
        node: NodeId,
        /// The other side's address.
        peer: String,
    },
}

/// Forwards each event into a channel. The methods must not block: they
/// run inside the node server's handler.
struct Forward(mpsc::UnboundedSender<SessionEvent>);

impl Forward {
    fn send(&self, event: SessionEvent) {
        // The receiver has gone: nobody is listening any more.
        let _ = self.0.send(event);
    }
}

impl NodeEventSubscription for Forward {
    fn node_session_opened(&self, ses: NodeServerSessionInformation) {
        self.send(SessionEvent::Opened {
            node: ses.node_id,
            peer: ses.peer_addr,
        });
    }

    fn node_session_disconnected(&self, ses: NodeServerSessionInformation) {
        self.send(SessionEvent::Closed {
            node: ses.node_id,
            peer: ses.peer_addr,
        });
    }

    fn node_session_authenticated(&self, _ses: NodeServerSessionInformation) {}

    fn node_session_ready(&self, ses: NodeServerSessionInformation) {
        self.send(SessionEvent::Ready {
            node: ses.node_id,
            peer: ses.peer_addr,
        });
    }
}

/// Subscribes to `server`'s session events under the name `id`. The
/// subscription is a message, so it is in place before any session the
/// server handles after it.
pub fn subscribe(
    server: &ActorRef<NodeServerMessage>,
    id: &str,
) -> mpsc::UnboundedReceiver<SessionEvent> {
    let (sender, receiver) = mpsc::unbounded_channel();
    let subscription = NodeServerMessage::SubscribeToEvents {
        id: id.to_owned(),
        subscription: Box::new(Forward(sender)),
    };
    if server.cast(subscription).is_err() {
        tracing::warn!("the node server has stopped; no session events will come");
    }
    receiver
}
