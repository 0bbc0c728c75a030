//! Keys that let a name be found however it was spelt: Double Metaphone codes (Smith and
//! Smyth, Mohammed and Muhammad sound alike) and the bare letters (O'Brien is OBrien).
use rphonetic::DoubleMetaphone;
use std::sync::OnceLock;

fn encoder() -> &'static DoubleMetaphone {
    static ENCODER: OnceLock<DoubleMetaphone> = OnceLock::new();
    ENCODER.get_or_init(DoubleMetaphone::default)
}

/// The keys of one word: "=obrien" for its letters, then its sound codes. Words of fewer
/// than two letters have none.
pub fn word_keys(word: &str) -> Vec<String> {
    let letters: String = deunicode::deunicode(word).chars().filter(char::is_ascii_alphabetic).collect::<String>().to_lowercase();
    if letters.len() < 2 {
        return Vec::new();
    }
    let codes = encoder().double_metaphone(&letters);
    let mut keys = vec![format!("={letters}")];
    for code in [codes.primary(), codes.alternate()] {
        if !code.is_empty() && !keys.contains(&code) {
            keys.push(code);
        }
    }
    keys
}

/// Keys of every word of a text of names (words split at spaces and hyphens).
pub fn name_keys(names: &str) -> Vec<String> {
    let mut keys: Vec<String> = names.split([' ', '-']).flat_map(word_keys).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Makes `name_keys(text)` available to SQL (the search triggers use it), as a JSON array.
pub fn register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function("name_keys", 1, FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC, |ctx| {
        let text: String = ctx.get::<Option<String>>(0)?.unwrap_or_default();
        Ok(serde_json::to_string(&name_keys(&text)).unwrap_or_else(|_| "[]".into()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share_a_key(a: &str, b: &str) -> bool {
        let b = word_keys(b);
        word_keys(a).iter().any(|k| b.contains(k))
    }

    #[test]
    fn names_that_sound_alike_share_a_key() {
        for (a, b) in
            [("Smith", "Smyth"), ("Mohammed", "Muhammad"), ("O'Brien", "OBrien"), ("Wiśniewski", "Wisniewski"), ("Catherine", "Kathryn")]
        {
            assert!(share_a_key(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn different_names_do_not() {
        for (a, b) in [("Smith", "Jones"), ("Khan", "Kowalski"), ("Lee", "Ali")] {
            assert!(!share_a_key(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn every_word_of_a_name_is_keyed() {
        let keys = name_keys("John Paul Smith-Jones");
        for word in ["=john", "=paul", "=smith", "=jones"] {
            assert!(keys.contains(&word.to_string()), "{word} in {keys:?}");
        }
    }
}
