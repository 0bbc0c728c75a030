//! A fixed list's option and how its words are found: shared by every area's lists (the
//! client's own lists are in `clients::reference`, each stage keeps its lists beside it).
use serde::Serialize;
use ts_rs::TS;

/// One option of a list: the stored value, the words shown, and its group if any.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub group: &'static str,
}

/// An option with no group.
pub const fn choice(value: &'static str, label: &'static str) -> Choice {
    Choice { value, label, group: "" }
}

/// The words for a stored value, or the value itself if it is not in the list.
pub fn label(list: &[Choice], value: &str) -> String {
    list.iter().find(|c| c.value == value).map_or_else(|| value.to_string(), |c| c.label.to_string())
}

pub fn is_in(list: &[Choice], value: &str) -> bool {
    list.iter().any(|c| c.value == value)
}
