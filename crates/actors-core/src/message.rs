//! One switch for ractor's `cluster` feature, for every message type.
//!
//! Without `cluster`, ractor implements `ractor::Message` for every type
//! that can be sent between threads, and an impl of our own would conflict
//! with it. With `cluster`, that blanket impl is gone, and a type is a
//! message only if it says so. Cargo turns a feature on for every crate
//! built in the same command, so the `cluster` crate's dependency on
//! `ractor_cluster` switches the feature on for the whole workspace in
//! `cargo test --workspace`, and leaves it off in `cargo test -p counter`.
//!
//! A crate cannot ask whether ractor was built with a feature. It can ask
//! whether a crate it depends on was: [`local_message!`](crate::local_message)
//! is defined twice below, and which definition exists depends on this
//! crate's own `cluster` feature, which turns ractor's on. Every crate of
//! the workspace that depends on `ractor_cluster` (the `cluster` crate,
//! exercise 12) also turns this crate's feature on, so the two agree in
//! every build, whatever set of crates one command builds.

// ANCHOR: local_message
/// Makes each listed type a ractor message that never leaves its process.
///
/// With this crate's `cluster` feature (and so ractor's) it writes
/// `impl ractor::Message for T {}`; without it, nothing, and ractor's
/// blanket impl covers the type. A message that crosses the network is
/// not declared here: it derives `RactorClusterMessage` (crate `cluster`).
#[cfg(feature = "cluster")]
#[macro_export]
macro_rules! local_message {
    ($($message:ty),+ $(,)?) => {
        $(impl $crate::message::ractor::Message for $message {})+
    };
}

/// Makes each listed type a ractor message that never leaves its process.
///
/// This build has no `cluster` feature, so ractor's blanket impl already
/// covers every type, and the macro writes nothing.
#[cfg(not(feature = "cluster"))]
#[macro_export]
macro_rules! local_message {
    ($($message:ty),+ $(,)?) => {};
}
// ANCHOR_END: local_message

/// Whether this build has ractor's `cluster` feature: the same answer as
/// ractor's own, since only this crate's `cluster` feature turns it on. It
/// changes more than the message impls: every message slot of every
/// mailbox also has room for a serialized message, so an idle ractor actor
/// weighs more (see the memory figures of "What crosses the wire").
pub const CLUSTER: bool = cfg!(feature = "cluster");

/// ractor, for [`local_message!`](crate::local_message)'s expansion in crates that name it
/// differently or not at all.
#[cfg(feature = "cluster")]
#[doc(hidden)]
pub use ractor;
