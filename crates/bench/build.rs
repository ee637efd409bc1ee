//! Declares `tokio_unstable`, the cfg under which tokio offers
//! `disable_lifo_slot` and its steal counts, so that the `channel_modes`
//! probe can use them when built with `RUSTFLAGS="--cfg tokio_unstable"`.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(tokio_unstable)");
}
