//! Key slot files as a thief or a damaged disk leaves them: a slot with a salt too short for
//! Argon2 or an absurd cost is refused in words, quickly, never a panic or a hang; and a name
//! with no slot cannot be told from a real one by its back-off, even across a restart.
use std::sync::Arc;
use std::time::{Duration, Instant};
use throughline_core::accounts::{AccountError, Installation};
use throughline_core::clock::FixedClock;
use throughline_core::{testing, Coded, ErrorCode};

fn laptop() -> (tempfile::TempDir, Installation) {
    let dir = tempfile::tempdir().unwrap();
    let installation = Installation::new(dir.path(), Arc::new(FixedClock::at("2026-11-23T09:00:00Z")));
    drop(testing::set_up_team(&installation));
    (dir, installation)
}

/// The slot file with the lead's slot changed by `damage`.
fn damaged(dir: &tempfile::TempDir, damage: impl Fn(&mut serde_json::Value)) {
    let path = dir.path().join("keyslots.json");
    let mut file: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let slot = file["slots"].as_array_mut().unwrap().iter_mut().find(|s| s["label"] != "recovery").unwrap();
    damage(slot);
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
}

/// What was done to a slot, and how.
type Damage = (&'static str, Box<dyn Fn(&mut serde_json::Value)>);

#[test]
fn a_damaged_or_tampered_slot_is_refused_in_words_quickly() {
    let damages: Vec<Damage> = vec![
        ("a 4-byte salt", Box::new(|s| s["salt"] = "00112233".into())),
        ("a salt that is not hex", Box::new(|s| s["salt"] = "not hex at all".into())),
        ("4,000,000,000 passes", Box::new(|s| s["kdf"]["passes"] = 4_000_000_000u32.into())),
        ("4 TiB of memory", Box::new(|s| s["kdf"]["memory_kib"] = 4_000_000_000u32.into())),
        ("no lanes", Box::new(|s| s["kdf"]["lanes"] = 0.into())),
        ("100,000 lanes", Box::new(|s| s["kdf"]["lanes"] = 100_000.into())),
        ("an unknown format", Box::new(|s| s["format"] = 7.into())),
        ("format 2 without its public key", Box::new(|s| s["public"] = serde_json::Value::Null)),
        ("a public key of small order", Box::new(|s| s["public"] = hex_zero(32).into())),
        ("a short sealed key", Box::new(|s| s["sealed"]["ciphertext"] = "00".into())),
    ];
    for (what, damage) in damages {
        let (dir, installation) = laptop();
        damaged(&dir, damage);
        let started = Instant::now();
        let refused = installation.sign_in(testing::LEAD_LOGIN, testing::LEAD_PASSWORD).err().unwrap_or_else(|| panic!("{what}: refused"));
        assert!(started.elapsed() < Duration::from_secs(2), "{what}: refused quickly ({:?})", started.elapsed());
        assert_eq!(refused.code(), ErrorCode::StoreSlotsDamaged, "{what}: {refused}");
        let words = refused.to_string();
        assert!(words.contains("keyslots.json") && words.contains("is damaged"), "{what}: names the file as damaged: {words}");
        assert!(words.contains("from the latest backup"), "{what}: points to the backup: {words}");
        // The recovery key's reset says the same.
        let reset = installation.reset_password_with_recovery_key("AAAA", testing::LEAD_LOGIN, "harbour-quartz-meadow-nine").unwrap_err();
        assert_eq!(reset.code(), ErrorCode::StoreSlotsDamaged, "{what}");
    }
}

fn hex_zero(n: usize) -> String {
    "00".repeat(n)
}

#[test]
fn an_unknown_name_is_slowed_down_as_a_real_one_is_even_after_a_restart() {
    let (dir, installation) = laptop();
    let clock = Arc::new(FixedClock::at("2026-11-23T09:00:00Z"));
    for name in [testing::LEAD_LOGIN, "nobody.here"] {
        for _ in 0..4 {
            let _ = installation.sign_in(name, "wrong-password-typed");
        }
        // A restart: a new Installation on the same folder.
        let restarted = Installation::new(dir.path(), clock.clone());
        let refused = restarted.sign_in(name, "wrong-password-typed").err().expect("refused");
        assert!(matches!(refused, AccountError::SlowedDown(_)), "{name}: slowed down after a restart, as any name is: {refused}");
    }
}
