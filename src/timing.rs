//! Stage timings for `folio build --timings` and the benchmark harness: the
//! wall-clock and CPU time of each stage of a build (load and parse,
//! highlight, each backend's stages, writing the files).
//!
//! CPU time is the whole process's (every thread), so a stage that works on
//! several threads shows more CPU than wall time. The driver runs stages one
//! after the other, so each stage's CPU time is its own.

use std::time::{Duration, Instant};

/// Wall-clock and CPU time of one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageTime {
    /// Stage name: `load+parse`, `highlight`, `epub`, `pdf layout`, `pdf write`, `write`.
    pub name: &'static str,
    /// Elapsed time.
    pub wall: Duration,
    /// CPU time of the process (all threads) during the stage, where the
    /// platform can tell.
    pub cpu: Option<Duration>,
}

/// Measures one stage: started by [`Stopwatch::start`], read by [`Stopwatch::stop`].
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Stopwatch {
    /// Starts measuring.
    pub fn start() -> Stopwatch {
        Stopwatch {
            cpu: process_cpu_time(),
            wall: Instant::now(),
        }
    }

    /// The time since [`Stopwatch::start`], as stage `name`.
    pub fn stop(self, name: &'static str) -> StageTime {
        let wall = self.wall.elapsed();
        let cpu = match (self.cpu, process_cpu_time()) {
            (Some(start), Some(end)) => Some(end.saturating_sub(start)),
            _ => None,
        };
        StageTime { name, wall, cpu }
    }
}

/// Runs `f` as stage `name`, appending its time to `stages`.
pub fn stage<T>(stages: &mut Vec<StageTime>, name: &'static str, f: impl FnOnce() -> T) -> T {
    let watch = Stopwatch::start();
    let out = f();
    stages.push(watch.stop(name));
    out
}

/// CPU time used so far by the whole process (every thread).
#[cfg(unix)]
#[expect(
    unsafe_code,
    reason = "the one libc call std has no wrapper for; see SAFETY below"
)]
pub fn process_cpu_time() -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the call only writes it.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return None;
    }
    let secs = u64::try_from(ts.tv_sec).ok()?;
    let nanos = u32::try_from(ts.tv_nsec).ok()?;
    Some(Duration::new(secs, nanos))
}

/// CPU time used so far by the whole process: unknown on this platform.
#[cfg(not(unix))]
pub fn process_cpu_time() -> Option<Duration> {
    None
}

/// One line per stage, as `folio build --timings` prints them:
/// `timing: pdf layout  wall 0.512 s  cpu 0.508 s`.
pub fn render(stages: &[StageTime]) -> Vec<String> {
    let width = stages.iter().map(|s| s.name.len()).max().unwrap_or(0);
    stages
        .iter()
        .map(|s| {
            let cpu = s
                .cpu
                .map_or_else(|| "-".to_owned(), |c| format!("{:.3}", c.as_secs_f64()));
            format!(
                "timing: {:<width$}  wall {:.3} s  cpu {cpu} s",
                s.name,
                s.wall.as_secs_f64()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_moves_forward_while_working() {
        let mut stages = Vec::new();
        let sum = stage(&mut stages, "spin", || {
            // Enough work for any clock to see, no sleeping.
            (0..2_000_000u64).fold(0u64, |a, b| a.wrapping_add(b * b))
        });
        assert!(sum > 0);
        assert_eq!(stages.len(), 1);
        assert_eq!(stages[0].name, "spin");
        if cfg!(unix) {
            assert!(stages[0].cpu.is_some());
        }
    }

    #[test]
    fn rendered_lines_name_wall_and_cpu() {
        let lines = render(&[
            StageTime {
                name: "load+parse",
                wall: Duration::from_millis(1500),
                cpu: Some(Duration::from_millis(1250)),
            },
            StageTime {
                name: "epub",
                wall: Duration::from_millis(20),
                cpu: None,
            },
        ]);
        assert_eq!(
            lines,
            [
                "timing: load+parse  wall 1.500 s  cpu 1.250 s",
                "timing: epub        wall 0.020 s  cpu - s",
            ]
        );
    }
}
