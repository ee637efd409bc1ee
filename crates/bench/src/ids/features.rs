//! The benchmarks that need two builds: a feature of this crate that
//! changes how ractor itself is compiled, timed once with it and once
//! without. One build registers only its own half, so each pair comes from
//! two processes, and its ratio compares two builds of the same work.

use super::{BenchId, FEATURE_TARGETS, Group};
use crate::counting::TargetKind;

/// A feature of this crate that changes how ractor is built. Both are on by
/// default; `Cargo.toml` lists them under `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    /// `span-propagation`: ractor carries the sender's tracing span with
    /// every message (ractor's `message_span_propogation`).
    SpanPropagation,
    /// `cluster`: the `cluster` crate is built, and with it ractor's
    /// `cluster` feature, which asks of every message whether its actor is
    /// local or remote, and boxes it with room for a serialized form.
    Cluster,
}

/// Whether a build has a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Switch {
    /// Built with it: the default.
    On,
    /// Built without it, every other feature kept.
    Off,
}

impl Switch {
    /// Both, the default first.
    pub const ALL: [Switch; 2] = [Switch::On, Switch::Off];

    /// `on` or `off`.
    pub const fn name(self) -> &'static str {
        match self {
            Switch::On => "on",
            Switch::Off => "off",
        }
    }
}

impl Feature {
    /// Both features, in the order of the results page.
    pub const ALL: [Feature; 2] = [Feature::SpanPropagation, Feature::Cluster];

    /// The feature's name in `Cargo.toml`.
    pub const fn cargo_name(self) -> &'static str {
        match self {
            Feature::SpanPropagation => "span-propagation",
            Feature::Cluster => "cluster",
        }
    }

    /// The word a benchmark's value and a table's columns use: `spans`
    /// gives `spans-on` and "Spans on".
    pub const fn word(self) -> &'static str {
        match self {
            Feature::SpanPropagation => "spans",
            Feature::Cluster => "cluster",
        }
    }

    /// The word as a column's title begins with it: "Spans on".
    pub const fn title(self) -> &'static str {
        match self {
            Feature::SpanPropagation => "Spans",
            Feature::Cluster => "Cluster",
        }
    }

    /// Whether this build of the crate has the feature.
    pub const fn built(self) -> Switch {
        let on = match self {
            Feature::SpanPropagation => cfg!(feature = "span-propagation"),
            Feature::Cluster => cfg!(feature = "cluster"),
        };
        if on { Switch::On } else { Switch::Off }
    }

    /// The group its benchmarks are filed in.
    pub const fn group(self) -> Group {
        match self {
            Feature::SpanPropagation => Group::SpanPropagation,
            Feature::Cluster => Group::ClusterFeature,
        }
    }

    /// The feature whose group this is, if the group needs two builds.
    pub fn of(group: Group) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.group() == group)
    }

    /// The value the feature's benchmarks are filed under: `spans-on`.
    pub fn value(self, switch: Switch) -> String {
        format!("{}-{}", self.word(), switch.name())
    }

    /// What cargo needs after `-p bench` for one build, with a leading
    /// space: nothing for the default, and for off every other feature
    /// kept, so that the pair of builds differs in this one.
    pub fn flags(self, switch: Switch) -> String {
        match switch {
            Switch::On => String::new(),
            Switch::Off => {
                let others: Vec<&str> = Feature::ALL
                    .into_iter()
                    .filter(|&f| f != self)
                    .map(Feature::cargo_name)
                    .collect();
                format!(" --no-default-features --features {}", others.join(","))
            }
        }
    }

    /// The command that runs the feature's benchmarks in one build.
    pub fn command(self, switch: Switch) -> String {
        let group = self.group();
        format!(
            "cargo bench -p bench{} --bench {} -- {}/",
            self.flags(switch),
            group.program(),
            group.name()
        )
    }

    /// Every ID of the feature's group, in both builds.
    pub(super) fn ids(self) -> Vec<BenchId> {
        Switch::ALL
            .into_iter()
            .flat_map(|switch| FEATURE_TARGETS.map(|kind| feature(self, kind, switch)))
            .collect()
    }
}

/// `span_propagation/<target>/spans-on`, `cluster_feature/<target>/cluster-off`.
pub fn feature(feature: Feature, kind: TargetKind, switch: Switch) -> BenchId {
    BenchId::new(feature.group(), kind.name(), Some(feature.value(switch)))
}

/// Whether `id` can only be measured by a build without a default feature.
pub(super) fn needs_a_build_of_its_own(id: &BenchId) -> bool {
    Feature::of(id.group()).is_some_and(|f| id.value() == Some(f.value(Switch::Off).as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actors_core::Design;

    /// IDs and commands read as criterion and cargo want them.
    #[test]
    fn ids_and_commands() {
        assert_eq!(
            feature(
                Feature::SpanPropagation,
                TargetKind::BareRactor,
                Switch::Off
            )
            .to_string(),
            "span_propagation/bare-ractor/spans-off"
        );
        let ractor = TargetKind::Design(Design::Ractor);
        assert_eq!(
            feature(Feature::Cluster, ractor, Switch::On).to_string(),
            "cluster_feature/ractor/cluster-on"
        );
        assert_eq!(
            Feature::SpanPropagation.command(Switch::Off),
            "cargo bench -p bench --no-default-features --features cluster --bench counting -- span_propagation/"
        );
        assert_eq!(
            Feature::Cluster.command(Switch::Off),
            "cargo bench -p bench --no-default-features --features span-propagation --bench counting -- cluster_feature/"
        );
        assert_eq!(
            Feature::Cluster.command(Switch::On),
            "cargo bench -p bench --bench counting -- cluster_feature/"
        );
    }

    /// The default build has every feature, so that "on" is the plain
    /// command, and `Cargo.toml`'s default list is exactly [`Feature::ALL`].
    #[test]
    fn every_feature_is_a_default() {
        let manifest = include_str!("../../Cargo.toml");
        let names: Vec<String> = Feature::ALL
            .map(|f| format!("\"{}\"", f.cargo_name()))
            .to_vec();
        let default = format!("default = [{}]", names.join(", "));
        assert!(manifest.contains(&default), "no `{default}` in Cargo.toml");
        for feature in Feature::ALL {
            let entry = format!("\n{} = [", feature.cargo_name());
            assert!(manifest.contains(&entry), "no feature {entry:?}");
        }
    }
}
