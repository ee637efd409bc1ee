//! The machine the figures come from: for the results pages' first lines,
//! and inside the JSON of a program whose figures only mean something
//! beside the machine that made them (the `remote` binary's).
//!
//! Benchmark figures mean little without the machine: a mutex on two cores
//! and a mutex on sixty-four are different stories.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What the pages say about the machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// The CPU model, as `/proc/cpuinfo` names it, or `unknown CPU`.
    pub cpu: String,
    /// How many threads can run at once, if the system says.
    pub cores: Option<usize>,
    /// The operating system, e.g. `linux`.
    pub os: String,
    /// The architecture, e.g. `x86_64`.
    pub arch: String,
}

impl Machine {
    /// The machine this process runs on.
    pub fn detect() -> Machine {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|text| cpu_model(&text))
            .unwrap_or_else(|| "unknown CPU".to_owned());
        Machine {
            cpu,
            cores: std::thread::available_parallelism().ok().map(usize::from),
            os: std::env::consts::OS.to_owned(),
            arch: std::env::consts::ARCH.to_owned(),
        }
    }
}

/// The first `model name` in the text of `/proc/cpuinfo`.
pub fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        let value = value.trim();
        (key.trim() == "model name" && !value.is_empty()).then(|| value.to_owned())
    })
}

impl fmt::Display for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, ", self.cpu)?;
        match self.cores {
            Some(1) => write!(f, "1 logical core")?,
            Some(n) => write!(f, "{n} logical cores")?,
            None => write!(f, "unknown number of cores")?,
        }
        write!(f, ", {} {}", self.os, self.arch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model comes from the first `model name` line; other keys that
    /// merely contain the words do not count.
    #[test]
    fn cpu_model_reads_the_first_model_name() {
        let cpuinfo = "processor\t: 0\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n\nprocessor\t: 1\nmodel name\t: Other\n";
        assert_eq!(
            cpu_model(cpuinfo).as_deref(),
            Some("Intel(R) Xeon(R) CPU @ 2.20GHz")
        );
        assert_eq!(cpu_model("processor\t: 0\nBogoMIPS\t: 50.00\n"), None);
    }

    /// The description names the CPU, the cores and the platform.
    #[test]
    fn display_names_everything() {
        let machine = Machine {
            cpu: "Test CPU".to_owned(),
            cores: Some(2),
            os: "linux".to_owned(),
            arch: "x86_64".to_owned(),
        };
        assert_eq!(
            machine.to_string(),
            "Test CPU, 2 logical cores, linux x86_64"
        );
    }
}
