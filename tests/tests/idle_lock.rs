//! Left idle, the real app locks itself at the team's idle time and shows only the sign-in
//! form; the worker's password brings them back.
mod common;
use common::{Journey, ENTER};
use std::sync::Arc;
use std::time::{Duration, Instant};
use throughline_core::accounts::settings::TeamSettings;
use throughline_core::accounts::Installation;
use throughline_core::clock::SystemClock;
use throughline_core::demo;

#[tokio::test]
async fn an_idle_app_locks_itself() {
    let mut j = Journey::start_with("idle-lock", |dir| {
        demo::create_installation(dir, Arc::new(SystemClock), 3, 10).expect("demo team");
        let mut admin = Installation::new(dir, Arc::new(SystemClock)).sign_in("admin", demo::DEMO_PASSWORD).expect("admin");
        admin.save_team_settings(&TeamSettings { idle_lock_minutes: 1, ..TeamSettings::default() }).expect("one minute");
    })
    .await;
    j.sign_in("custody", demo::DEMO_PASSWORD).await;
    j.wait_for_heading("Today").await;
    let signed_in = Instant::now();

    // Hands off the keyboard: the lock arrives by itself.
    j.wait_for_heading_within("Throughline is locked", Duration::from_secs(90)).await;
    let idle = signed_in.elapsed();
    assert!(idle >= Duration::from_secs(55), "locked too early, after {idle:?}");
    assert_eq!(j.value("login").await, "custody");
    j.shot("locked-after-idle").await;

    j.fill("password", demo::DEMO_PASSWORD).await;
    j.keys(ENTER).await;
    j.wait_for_heading("Today").await;
    j.finish().await;
}
