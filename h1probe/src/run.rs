//! Which checks run, and running them on a few threads.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use crate::cases::CASES;
use crate::judge::run_case;
use crate::model::{Case, Outcome, Req};
use crate::state::{Ctx, Dyn, DYNS};
use crate::wire::Delivery;

/// One unit of work.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    /// A request check in one delivery.
    Case(&'static Case, Delivery),
    /// A timing or state check.
    Dyn(&'static Dyn),
}

impl Job {
    /// The ID it reports under.
    pub fn id(&self) -> String {
        match self {
            Job::Case(c, d) => format!("{}{}", c.id, d.suffix()),
            Job::Dyn(d) => d.id.to_string(),
        }
    }
}

/// The deliveries a request check is sent in: malformed requests also split and byte by byte
/// (a verdict must not depend on how bytes arrive), except in `--quick` runs and for the large
/// generated requests.
pub fn deliveries(case: &Case, quick: bool) -> &'static [Delivery] {
    if quick || !case.expect.malformed() || matches!(case.req, Req::Gen(_)) {
        &[Delivery::Whole]
    } else {
        &[Delivery::Whole, Delivery::Split, Delivery::Bytes]
    }
}

/// The jobs of a run, in report order; `only` keeps IDs starting with one of its
/// comma-separated prefixes.
pub fn plan(quick: bool, only: Option<&str>) -> Vec<Job> {
    let keep = |id: &str| match only {
        None => true,
        Some(o) => o.split(',').any(|p| id.starts_with(p.trim())),
    };
    let mut jobs = Vec::new();
    for c in CASES {
        for &d in deliveries(c, quick) {
            let j = Job::Case(c, d);
            if keep(&j.id()) {
                jobs.push(j);
            }
        }
    }
    for d in DYNS {
        if keep(d.id) {
            jobs.push(Job::Dyn(d));
        }
    }
    jobs
}

/// Runs one job.
pub fn run_job(ctx: &Ctx, job: Job) -> Outcome {
    match job {
        Job::Case(c, d) => run_case(&ctx.t, c, d),
        Job::Dyn(d) => {
            let start = Instant::now();
            let r = (d.run)(ctx, d.level);
            let (verdict, detail, sent, received) = match r {
                Ok(r) => (r.verdict, r.detail, r.sent, r.received),
                Err(e) => (
                    crate::model::Verdict::violation(d.level),
                    e,
                    Vec::new(),
                    Vec::new(),
                ),
            };
            d.outcome(verdict, detail, sent, received, start)
        }
    }
}

/// Runs `jobs`: timing and state checks on `timing_threads` threads (they mostly wait), request
/// checks on `threads`. Results come back in the jobs' order.
pub fn run(ctx: &Ctx, jobs: &[Job], threads: usize, timing_threads: usize) -> Vec<Outcome> {
    let results: Arc<Mutex<Vec<Option<Outcome>>>> = Arc::new(Mutex::new(vec![None; jobs.len()]));
    let (dyns, cases): (Vec<_>, Vec<_>) = jobs
        .iter()
        .copied()
        .enumerate()
        .partition(|(_, j)| matches!(j, Job::Dyn(_)));
    // Longest first: the timing checks wait for the server's timeouts.
    let queues = [
        (VecDeque::from(dyns), timing_threads),
        (VecDeque::from(cases), threads),
    ];
    let mut handles = Vec::new();
    for (queue, n) in queues {
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..n.max(1) {
            let queue = Arc::clone(&queue);
            let results = Arc::clone(&results);
            let ctx = ctx.clone();
            handles.push(thread::spawn(move || loop {
                let next = queue.lock().unwrap().pop_front();
                let Some((i, job)) = next else { break };
                let o = run_job(&ctx, job);
                results.lock().unwrap()[i] = Some(o);
            }));
        }
    }
    for h in handles {
        let _ = h.join();
    }
    let out = std::mem::take(&mut *results.lock().unwrap());
    out.into_iter().flatten().collect()
}
