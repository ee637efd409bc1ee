//! # cluster: the counters across two processes
//!
//! The last stop in the lesson order, beside `demo`:
//!
//! ```text
//! actors-core  <-  supervision  <-  cluster  <-  demo
//! ```
//!
//! A [`Node`] hosts counters behind a `ractor_cluster` `NodeServer`; each
//! [`NodeCounter`] joins the process group [`GROUP`] every time it starts,
//! and a [`Keeper`] restarts one that fails, from its checkpoint. A
//! [`RemoteSystem`] is another process's view of them: it connects, waits
//! for the handshake, finds the counters in the group, and drives them
//! behind the same [`CounterSystem`](actors_core::CounterSystem) contract
//! as every design in one process, so `demo run --connect` runs the
//! article's workload unchanged.
//!
//! What crosses the wire is [`RemoteCounterMessage`], not
//! `counter::CounterMessage`: only a message whose every field converts to
//! bytes can travel. Both sides prove they know the same [`Cookie`].
//!
//! The book: "Across processes" (`docs/cluster.md`) and the pages after it.

mod client;
mod cookie;
mod counter;
mod events;
mod node;
mod wire;

pub use client::{ConnectError, RemoteSystem};
pub use cookie::{COOKIE_VAR, Cookie, CookieError, MIN_COOKIE_LEN};
pub use counter::{GROUP, NodeCounter, NodeCounterArgs, NodeCounterState};
pub use events::{SessionEvent, subscribe};
pub use node::{
    Keeper, KeeperArgs, KeeperMessage, KeeperState, NODE_NAME, Node, NodeConfig, NodeError,
};
pub use wire::{RemoteCounterMessage, WireStats};
