//! Load over HTTP against a running Waymark: signs in N sessions, then runs
//! a caseworker's mix (home, referrals, cases, search) from all of them at
//! once, beside `/healthz` of the same server as the limit, and prints
//! Markdown rows for BENCHMARKS.md: requests a second, p50/p95/p99 per page,
//! errors, and the server's peak memory (VmHWM) when its pid is given.
//!
//! ```sh
//! waymark demo --referrals 200000 &            # or serve a database of your own
//! cargo run --release -p bench --bin waymark-load -- \
//!     --base http://127.0.0.1:8080 --sessions 200 --seconds 20 --pid $(pgrep -f 'waymark demo')
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use tokio::sync::Mutex;

#[derive(Parser)]
struct Args {
    /// The server, e.g. http://127.0.0.1:8080 (serve it with --dev-http on plain http).
    #[arg(long)]
    base: String,
    #[arg(long, default_value = "caseworker@victimcare.example")]
    username: String,
    #[arg(long, default_value = "demo lantern otter velvet")]
    password: String,
    /// Sessions signed in, each a client running the mix.
    #[arg(long, default_value_t = 50)]
    sessions: usize,
    /// How long each run lasts.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Runs of the mix, one after another (memory is read after each).
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// The server's process id, to read its peak memory.
    #[arg(long)]
    pid: Option<u32>,
    /// Names searched for, in turn.
    #[arg(long, default_value = "Jordan,Smith,Ali,Taylor,Brown,Khan")]
    names: String,
    /// Also send referrals: an API token with `referrals:write` for the
    /// service given by `--service-id`; each of the sessions' clients posts
    /// new referrals for `--seconds`.
    #[arg(long, requires = "service_id")]
    post_token: Option<String>,
    #[arg(long)]
    service_id: Option<String>,
}

/// The pages of the mix, with how often each is asked for.
const MIX: &[(&str, &str, usize)] = &[
    ("home", "/", 3),
    ("referrals", "/referrals", 3),
    ("cases", "/cases", 2),
    ("search", "/search?q={name}&dob=", 2),
];

/// A signed-in session: its cookies.
struct Session {
    cookies: String,
}

fn cookie_pairs(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_string)
        .collect()
}

fn hidden(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker)? + marker.len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_string())
}

async fn sign_in(client: &reqwest::Client, args: &Args) -> Result<Session> {
    let page = client.get(format!("{}/login", args.base)).send().await?;
    let mut cookies = cookie_pairs(&page);
    let body = page.text().await?;
    let csrf = hidden(&body, "csrf_token").ok_or_else(|| anyhow!("no sign-in form"))?;
    let answer = client
        .post(format!("{}/login", args.base))
        .header("cookie", cookies.join("; "))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", args.username.as_str()),
            ("password", args.password.as_str()),
        ])
        .send()
        .await?;
    if answer.status().as_u16() != 303 {
        bail!("sign-in answered {}", answer.status());
    }
    cookies.extend(cookie_pairs(&answer));
    Ok(Session {
        cookies: cookies.join("; "),
    })
}

/// Peak resident memory of a process, in MB.
fn peak_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i.min(samples.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

type Samples = Arc<Mutex<BTreeMap<&'static str, (Vec<Duration>, usize)>>>;

/// Runs `clients` loops over `pages` for `seconds`; samples by page name.
async fn run(
    client: &reqwest::Client,
    base: &str,
    clients: Vec<Option<String>>,
    pages: Vec<(&'static str, String)>,
    seconds: u64,
) -> BTreeMap<&'static str, (Vec<Duration>, usize)> {
    let samples: Samples = Arc::new(Mutex::new(BTreeMap::new()));
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (n, cookies) in clients.into_iter().enumerate() {
        let (client, base, pages, samples) = (
            client.clone(),
            base.to_string(),
            pages.clone(),
            samples.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = n;
            let mut mine: BTreeMap<&'static str, (Vec<Duration>, usize)> = BTreeMap::new();
            while Instant::now() < until {
                let (name, path) = &pages[i % pages.len()];
                i += 1;
                let mut request = client.get(format!("{base}{path}"));
                if let Some(cookies) = &cookies {
                    request = request.header("cookie", cookies);
                }
                let started = Instant::now();
                let ok = match request.send().await {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        ok && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                let entry = mine.entry(name).or_default();
                entry.0.push(started.elapsed());
                if !ok {
                    entry.1 += 1;
                }
            }
            let mut all = samples.lock().await;
            for (name, (times, errors)) in mine {
                let entry = all.entry(name).or_default();
                entry.0.extend(times);
                entry.1 += errors;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    Arc::try_unwrap(samples)
        .map(Mutex::into_inner)
        .unwrap_or_default()
}

/// Each client sends new referrals, one after another, for `seconds`; a
/// referral counts as done when answered 201.
async fn post_referrals(
    client: &reqwest::Client,
    args: &Args,
    token: &str,
    service: &str,
) -> BTreeMap<&'static str, (Vec<Duration>, usize)> {
    let until = Instant::now() + Duration::from_secs(args.seconds);
    // References differ from run to run, so every post makes a referral.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let mut tasks = Vec::new();
    for n in 0..args.sessions {
        let (client, url, token, service) = (
            client.clone(),
            format!("{}/api/v1/referrals", args.base),
            token.to_string(),
            service.to_string(),
        );
        tasks.push(tokio::spawn(async move {
            let (mut times, mut errors) = (Vec::new(), 0usize);
            let mut i = 0u64;
            while Instant::now() < until {
                i += 1;
                let body = format!(
                    r#"{{"service_id":"{service}","source":"police","sender_reference":"LOAD-{run}-{n}-{i}","crime_type":"theft","consent":"given","given_name":"Loadtest","family_name":"Sender{n}x{i}"}}"#
                );
                let started = Instant::now();
                let ok = match client
                    .post(&url)
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                {
                    Ok(response) => {
                        let ok = response.status().as_u16() == 201;
                        ok && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                times.push(started.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (times, errors)
        }));
    }
    let mut all: BTreeMap<&'static str, (Vec<Duration>, usize)> = BTreeMap::new();
    for task in tasks {
        if let Ok((times, errors)) = task.await {
            let entry = all.entry("referral posts").or_default();
            entry.0.extend(times);
            entry.1 += errors;
        }
    }
    all
}

fn rows(label: &str, seconds: u64, results: &mut BTreeMap<&'static str, (Vec<Duration>, usize)>) {
    for (name, (times, errors)) in results.iter_mut() {
        let count = times.len();
        println!(
            "| {label} | {name} | {count} | {:.0} | {} | {} | {} | {errors} |",
            count as f64 / seconds as f64,
            ms(percentile(times, 0.5)),
            ms(percentile(times, 0.95)),
            ms(percentile(times, 0.99)),
        );
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(args.sessions.max(1))
        .build()
        .context("client")?;
    println!("| run | page | requests | per second | p50 ms | p95 ms | p99 ms | errors |");
    println!("|---|---|---|---|---|---|---|---|");
    // The limit: the same server's liveness check, at the same concurrency.
    let mut limit = run(
        &client,
        &args.base,
        vec![None; args.sessions],
        vec![("healthz", "/healthz".to_string())],
        args.seconds.min(10),
    )
    .await;
    rows("limit", args.seconds.min(10), &mut limit);
    let started = Instant::now();
    let mut sessions = Vec::new();
    for _ in 0..args.sessions {
        sessions.push(Some(sign_in(&client, &args).await?.cookies));
    }
    let signing_in = started.elapsed();
    let memory_after_sign_in = args.pid.and_then(peak_mb);
    let names: Vec<&str> = args.names.split(',').collect();
    let mut pages = Vec::new();
    for (name, path, weight) in MIX {
        for w in 0..*weight {
            let path = path.replace("{name}", names[w % names.len()]);
            pages.push((*name, path));
        }
    }
    let mut memory = Vec::new();
    for r in 1..=args.runs {
        let mut results = run(
            &client,
            &args.base,
            sessions.clone(),
            pages.clone(),
            args.seconds,
        )
        .await;
        rows(&format!("mix {r}"), args.seconds, &mut results);
        memory.push(args.pid.and_then(peak_mb));
    }
    if let (Some(token), Some(service)) = (&args.post_token, &args.service_id) {
        let mut posted = post_referrals(&client, &args, token, service).await;
        rows("posts", args.seconds, &mut posted);
    }
    println!();
    println!(
        "{} sessions signed in, one after another, in {:.1} s.",
        args.sessions,
        signing_in.as_secs_f64()
    );
    if let Some(mb) = memory_after_sign_in {
        println!("Server VmHWM after signing in: {mb:.0} MB.");
    }
    for (r, mb) in memory.iter().enumerate() {
        if let Some(mb) = mb {
            println!("Server VmHWM after mix run {}: {mb:.0} MB.", r + 1);
        }
    }
    Ok(())
}
